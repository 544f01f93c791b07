# rules: ML101

# case: train_test_split
from sklearn.model_selection import train_test_split
X_train, X_test = train_test_split(X, test_size=0.2)  # expect: ML101

# case: aliased function
from sklearn.model_selection import train_test_split as tts
a, b, c, d = tts(X, y)  # expect: ML101

# case: module alias
import sklearn.model_selection as ms
cv = ms.ShuffleSplit(n_splits=3)  # expect: ML101

# case: from sklearn import module
from sklearn import model_selection
cv = model_selection.KFold(n_splits=5, shuffle=True)  # expect: ML101

# case: stratified kfold with shuffle
from sklearn.model_selection import StratifiedKFold
for train, test in StratifiedKFold(5, shuffle=True).split(X, y):  # expect: ML101
    pass

# case: repeated splitters are always random
from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold, GroupShuffleSplit
a = RepeatedKFold(n_splits=5)  # expect: ML101
b = RepeatedStratifiedKFold()  # expect: ML101
c = GroupShuffleSplit(test_size=0.3)  # expect: ML101

# case: dataframe shuffle kept
import pandas as pd
df = pd.read_csv("data.csv")
df = df.sample(frac=1)  # expect: ML101

# case: subsample in a chain
import pandas as pd
df = pd.read_csv("data.csv")
small = df.sample(1000).reset_index(drop=True)  # expect: ML101

# case: inside a function
from sklearn.model_selection import StratifiedShuffleSplit
def make_cv():
    return StratifiedShuffleSplit(n_splits=1)  # expect: ML101

# case: shuffle=False
from sklearn.model_selection import train_test_split
X_train, X_test = train_test_split(X, shuffle=False)

# case: random_state literal
from sklearn.model_selection import train_test_split
X_train, X_test = train_test_split(X, random_state=0)

# case: random_state None is still an explicit choice
from sklearn.model_selection import ShuffleSplit
cv = ShuffleSplit(random_state=None)

# case: random_state variable
from sklearn.model_selection import train_test_split
rng = 7
X_train, X_test = train_test_split(X, random_state=rng)

# case: kfold without shuffle
from sklearn.model_selection import KFold, StratifiedKFold
a = KFold(n_splits=5)
b = StratifiedKFold(n_splits=5, shuffle=False)

# case: bare sample only displays rows
import pandas as pd
df = pd.read_csv("data.csv")
df.sample(5)

# case: seeded sample
import pandas as pd
df = pd.read_csv("data.csv")
df = df.sample(frac=1, random_state=42)

# case: kwargs
from sklearn.model_selection import train_test_split
X_train, X_test = train_test_split(X, **split_options)

# case: not sklearn
from mylib import train_test_split
X_train, X_test = train_test_split(X)

# case: numpy's global generator seeded
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
np.random.seed(0)
X_train, X_test = train_test_split(X)
df = pd.read_csv("data.csv").sample(frac=1)

# case: random.Random sample
import random
import pandas as pd
rng = random.Random(0)
picked = rng.sample(range(10), 3)

# case: a Series subsample kept
import pandas as pd
y = pd.Series(values)
subset = y.sample(100)  # expect: ML101

# case: a column subsample kept
import pandas as pd
df = pd.read_csv('d.csv')
subset = df['a'].sample(n=100)  # expect: ML101

# case: torch random_split without a generator
import torch
from torch.utils.data import random_split
train, val = random_split(dataset, [0.8, 0.2])  # expect: ML101 (no fix)
a, b = torch.utils.data.random_split(dataset, [800, 200])  # expect: ML101 (no fix)

# case: torch random_split with a generator, or after seeding torch
import torch
from torch.utils.data import random_split
train, val = random_split(dataset, [0.8, 0.2], generator=torch.Generator().manual_seed(0))
torch.manual_seed(0)
a, b = random_split(dataset, [800, 200])

# case: torch random_split before the seed
import torch
from torch.utils.data import random_split
train, val = random_split(dataset, [0.8, 0.2])  # expect: ML101 (no fix)
torch.manual_seed(0)

# case: torch random_split seeded by lightning
import lightning as L
from torch.utils.data import random_split
L.seed_everything(42)
train, val = random_split(dataset, [0.8, 0.2])

# case: datasets train_test_split without a seed
from datasets import load_dataset
ds = load_dataset("imdb", split="train")
splits = ds.train_test_split(test_size=0.1)  # expect: ML101

# case: datasets train_test_split seeded, unshuffled, or numpy seeded
import numpy as np
from datasets import load_dataset
ds = load_dataset("imdb", split="train")
a = ds.train_test_split(test_size=0.1, seed=42)
b = ds.train_test_split(test_size=0.1, shuffle=False)
np.random.seed(0)
c = ds.train_test_split(test_size=0.1)

# case: a train_test_split method in a file without datasets
import pandas as pd
splits = frame.train_test_split(test_size=0.1)

# case: a replay buffer of the file samples, not a DataFrame
import pandas as pd
import numpy as np

class ReplayBuffer:
    def __init__(self):
        self.items = []

    def sample(self, batch_size):
        return np.random.choice(len(self.items), batch_size)

class Agent:
    def __init__(self, buffer, env):
        self.buffer = buffer
        self.env = env

    def step(self):
        batch = self.buffer.sample(32)
        action = self.env.action_space.sample()
        return batch, action

# case: a DataFrame sample still flagged when the file has its own sample method
import pandas as pd

class Sampler:
    def sample(self, n):
        return n

df = pd.read_csv("data.csv")
shuffled = df.sample(frac=1)  # expect: ML101
