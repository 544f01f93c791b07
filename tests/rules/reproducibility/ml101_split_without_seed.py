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
