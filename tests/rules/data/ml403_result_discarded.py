# rules: ML403

# case: df.dropna()
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.dropna()  # expect: ML403

# case: df.fillna(0)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.fillna(0)  # expect: ML403

# case: df.drop(columns=['a'])
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.drop(columns=['a'])  # expect: ML403

# case: df.rename(columns={'a': 'b'})
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.rename(columns={'a': 'b'})  # expect: ML403

# case: df.replace('?', np.nan)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.replace('?', np.nan)  # expect: ML403

# case: df.sort_values('a', inplace=False)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.sort_values('a', inplace=False)  # expect: ML403

# case: df.reset_index(drop=True)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.reset_index(drop=True)  # expect: ML403

# case: df['a'].astype(int)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'].astype(int)  # expect: ML403 (no fix)

# case: df.a.clip(0, 1)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.a.clip(0, 1)  # expect: ML403

# case: unknown receiver, pandas file
import pandas as pd
import numpy as np
def clean(frame):
    frame.drop_duplicates()  # expect: ML403
    return frame

# case: frame.drop(columns=['x'])
import pandas as pd
import numpy as np
def clean(frame):
    frame.drop(columns=['x'])  # expect: ML403

# case: frame.astype('float32')
import pandas as pd
import numpy as np
def clean(frame: pd.DataFrame):
    frame.astype('float32')  # expect: ML403

# case: data.set_index('id')
from pandas import read_csv
data = read_csv('x')
data.set_index('id')  # expect: ML403

# case: df[c].interpolate()
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
for c in cols:
    df[c].interpolate()  # expect: ML403 (no fix)

# case: items.sort()
import pandas as pd
import numpy as np
items = [3, 1]
items.sort()

# case: seen.discard(1)
import pandas as pd
import numpy as np
seen = {1}
seen.discard(1)

# case: unknown receiver in a file without pandas
def clean(df):
    df.dropna()

# case: name.replace('-', '_')
import pandas as pd
import numpy as np
name = 'a-b'
name.replace('-', '_')

# case: str.replace on an unknown receiver
import pandas as pd
import numpy as np
def f(text):
    text.replace('a', 'b')

# case: p.rename('b')
import pandas as pd
import numpy as np
from pathlib import Path
p = Path('a')
p.rename('b')

# case: p.rename(target)
import pandas as pd
import numpy as np
def move(p):
    p.rename(target)

# case: df.dropna(inplace=True)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.dropna(inplace=True)

# case: df = df.dropna()
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df = df.dropna()

# case: df.fillna(0, **options)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.fillna(0, **options)

# case: df.fillna(0, inplace=flag)
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.fillna(0, inplace=flag)

# case: arr.clip(0, 1)
import pandas as pd
import numpy as np
arr = np.zeros(3)
arr.clip(0, 1)

# case: arr.astype(int)
import pandas as pd
import numpy as np
arr = np.zeros(3)
arr.astype(int)

# case: a module function
import pandas as pd
import numpy as np
np.clip(x, 0, 1)

# case: numpy arrays have astype too
import pandas as pd
import numpy as np
def f(t):
    t.astype(int)

# case: print(df.dropna())
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
print(df.dropna())

# case: notebook: a cell's last expression is displayed, not discarded
# cell
import pandas as pd
df = pd.read_csv('a.csv')
# cell
df.dropna()
# cell
df.sort_values('a')  # expect: ML403
x = 1
# cell
df.fillna(0)  # expect: ML403
df.head()
# cell
df.dropna();  # expect: ML403
# cell
if True:
    df.dropna()  # expect: ML403

# case: fix: assign the result back
import pandas as pd
import numpy as np
def clean(df):
    df.dropna(subset=['a'])  # expect: ML403
    return df
# fixed:
import pandas as pd
import numpy as np
def clean(df):
    df = df.dropna(subset=['a'])
    return df

# case: fix: an attribute receiver
import pandas as pd
import numpy as np
class C:
    def load(self):
        self.df = pd.read_csv('a')
        self.df.fillna(0)  # expect: ML403
# fixed:
import pandas as pd
import numpy as np
class C:
    def load(self):
        self.df = pd.read_csv('a')
        self.df = self.df.fillna(0)

# case: no fix: a column's result
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'].fillna(0)  # expect: ML403 (no fix)

# case: assign in a try whose except KeyError is the point
import pandas as pd
df = pd.DataFrame({"a": [1]})
try:
    df.assign(b=lambda d: d["missing"])
except KeyError:
    print("no column 'missing'")

# case: drop probing for labels, KeyError among others
import pandas as pd
df = pd.read_csv("x.csv")
try:
    df.drop(columns=["x"])
except (ValueError, KeyError) as exc:
    raise SystemExit(exc)

# case: the handler catches something else
import pandas as pd
df = pd.read_csv("x.csv")
try:
    df.dropna(subset=["a"])  # expect: ML403
except ValueError:
    pass

# case: in the except block, not the try
import pandas as pd
df = pd.read_csv("x.csv")
try:
    value = df["a"]
except KeyError:
    df.assign(a=0)  # expect: ML403

# case: a script exported from a notebook: a bare call ending a cell was displayed
import pandas as pd

df = pd.read_csv("data.csv")
df.values


# remove rows that contain missing values

df.dropna(axis=0)



df.fillna(0)

# case: an exported script's call followed by more code of its cell is still discarded
import pandas as pd

df = pd.read_csv("data.csv")
df.shape



df.dropna(axis=0)  # expect: ML403
df.to_csv("clean.csv")

# case: In[] markers of nbconvert
# coding: utf-8

# In[1]:


import pandas as pd
df = pd.read_csv("data.csv")
df.drop_duplicates()


# In[2]:


print(df)

# case: a plain script with blank lines still discards
import pandas as pd

df = pd.read_csv("data.csv")
df.dropna(axis=0)  # expect: ML403


df.to_csv("clean.csv")
