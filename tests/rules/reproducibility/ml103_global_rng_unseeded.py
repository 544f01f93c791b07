# rules: ML103

# case: numpy legacy sampler
import numpy as np
noise = np.random.randn(100)  # expect: ML103

# case: own alias
import numpy as onp
idx = onp.random.permutation(10)  # expect: ML103

# case: numpy.random module alias
from numpy import random as npr
x = npr.uniform(size=3)  # expect: ML103

# case: imported sampler
from numpy.random import choice
keep = choice(100, size=10)  # expect: ML103 (no fix)

# case: stdlib random
import random
items = list(range(10))
random.shuffle(items)  # expect: ML103

# case: stdlib imported function
from random import randint
k = randint(0, 10)  # expect: ML103 (no fix)

# case: only the first use per generator
import numpy as np
import random
a = np.random.rand(3)  # expect: ML103
b = np.random.normal(size=3)
c = random.random()  # expect: ML103
d = random.choice([1, 2])

# case: seeded only after the use
import numpy as np
a = np.random.binomial(10, 0.5)  # expect: ML103
np.random.seed(0)

# case: inside a function of a file that never seeds
import numpy as np
def jitter(x):
    return x + np.random.normal(scale=0.1, size=x.shape)  # expect: ML103

# case: the other generator is seeded
import numpy as np
import random
np.random.seed(0)
a = np.random.rand()
b = random.gauss(0, 1)  # expect: ML103

# case: unseeded generators, each one
import numpy as np
rng = np.random.default_rng()  # expect: ML103
other = np.random.default_rng(None)  # expect: ML103
legacy = np.random.RandomState()  # expect: ML103

# case: default_rng is not seeded by np.random.seed
import numpy as np
np.random.seed(0)
rng = np.random.default_rng()  # expect: ML103

# case: seed() without a value reseeds from the OS
import numpy as np
np.random.seed()
x = np.random.poisson(3)  # expect: ML103

# case: numpy seeded first
import numpy as np
np.random.seed(42)
noise = np.random.randn(100)

# case: stdlib seeded first
import random
random.seed(1)
random.shuffle(items)

# case: seeded generators
import numpy as np
SEED = 3
a = np.random.default_rng(0).normal()
b = np.random.default_rng(seed=SEED)
c = np.random.RandomState(42).rand(3)
d = np.random.default_rng(**options)

# case: use in a function, seeded in the main block
import numpy as np
def augment(x):
    return x + np.random.normal(size=x.shape)
if __name__ == "__main__":
    np.random.seed(0)
    augment(load())

# case: use in a function, seeded in main()
import random
def pick(xs):
    return random.choice(xs)
def main():
    random.seed(7)
    print(pick([1, 2, 3]))

# case: local seeding helper
import numpy as np
import random
def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
seed_everything(0)
a = np.random.rand()
b = random.random()

# case: library helpers that seed everything
import numpy as np
import random
from lightning.pytorch import seed_everything
seed_everything(42)
a = np.random.rand()
b = random.random()

# case: transformers set_seed
import numpy as np
import transformers
transformers.set_seed(0)
a = np.random.rand()

# case: project helper named like a seeder
import numpy as np
from utils import set_seed
set_seed(1)
a = np.random.rand()

# case: generator objects are not the global RNG
import numpy as np
import random
rng = np.random.default_rng(0)
a = rng.normal(size=3)
b = random.Random(0).random()

# case: imported seed function
from numpy.random import seed, rand
seed(0)
a = rand(3)

# case: notebook: seeded in an earlier cell
# cell
import numpy as np
np.random.seed(0)
# cell
x = np.random.rand(3)

# case: notebook: seeded in a later cell
# cell
import numpy as np
# cell
x = np.random.rand(3)  # expect: ML103
# cell
np.random.seed(0)

# case: random_sample
import numpy as np
x = np.random.random_sample(3)  # expect: ML103

# case: a seeded RandomState object's draws
import numpy as np
rs = np.random.RandomState(0)
x = rs.rand(3)
