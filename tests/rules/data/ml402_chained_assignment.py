# rules: ML402

# case: df['a'][df['a'] < 0] = 0
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'][df['a'] < 0] = 0  # expect: ML402

# case: df.loc[mask]['a'] = 1
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[mask]['a'] = 1  # expect: ML402

# case: df['a'].loc[mask] = 1
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'].loc[mask] = 1  # expect: ML402

# case: df['a'][0] += 1
import pandas as pd
import numpy as np
df = pd.DataFrame(data)
df['a'][0] += 1  # expect: ML402

# case: df.iloc[0][1] = 5
import pandas as pd
import numpy as np
df = pd.read_parquet(p)
df.iloc[0][1] = 5  # expect: ML402 (no fix)

# case: sub['y'][3] = 1
import pandas as pd
import numpy as np
df = pd.read_csv(p).dropna()
sub = df[df.x > 0]
sub['y'][3] = 1  # expect: ML402

# case: unknown receiver named like a DataFrame
import pandas as pd
import numpy as np
def clean(df):
    df['a'][df.a.isna()] = 0  # expect: ML402

# case: train_df['a'][0] = 0
import pandas as pd
import numpy as np
def clean(train_df):
    train_df['a'][0] = 0  # expect: ML402

# case: .loc: only pandas has it
import pandas as pd
import numpy as np
def clean(data):
    data.loc[data.a < 0]['a'] = 0  # expect: ML402

# case: data['a'].iloc[0] = 0
import pandas as pd
import numpy as np
def clean(data):
    data['a'].iloc[0] = 0  # expect: ML402 (no fix)

# case: df['a'][0] = 0
import pandas as pd
import numpy as np
def clean(df: pd.DataFrame):
    df['a'][0] = 0  # expect: ML402

# case: self.df['a'][0] = 1
import pandas as pd
import numpy as np
class C:
    def __init__(self, p):
        self.df = pd.read_csv(p)
    def fix(self):
        self.df['a'][0] = 1  # expect: ML402

# case: frame[frame.b > 1]['b'] = 1
import pandas
frame = pandas.read_csv('x')
frame[frame.b > 1]['b'] = 1  # expect: ML402

# case: df['a'][0], df['b'][0] = 1, 2
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'][0], df['b'][0] = 1, 2  # expect: ML402, ML402

# case: read-only chain
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
m = df['a']['x']

# case: print(results['x']['mean'])
import pandas as pd
import numpy as np
results = {}
print(results['x']['mean'])

# case: dict of dicts
import pandas as pd
import numpy as np
d = {}
d['a']['b'] = 1

# case: a dict() of dicts
import pandas as pd
import numpy as np
d = dict()
d['a']['b'] = 1

# case: a defaultdict of dicts
import pandas as pd
import numpy as np
from collections import defaultdict
d = defaultdict(dict)
d['a']['b'] = 1

# case: grid[1][2] = 5
import pandas as pd
import numpy as np
grid = [[0] * 3 for _ in range(3)]
grid[1][2] = 5

# case: arr[1][2] = 5
import pandas as pd
import numpy as np
arr = np.zeros((3, 3))
arr[1][2] = 5

# case: stats['a']['n'] = 3
import pandas as pd
import numpy as np
def f():
    stats = {'a': {}}
    stats['a']['n'] = 3

# case: the right way
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[mask, 'a'] = 1

# case: df['a'] = 1
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'] = 1

# case: a dict of dicts loaded from JSON
import json
d = json.load(open('x'))
d['a']['b'] = 1

# case: no pandas in the file at all
cfg = {}
cfg['a']['b'] = 1
grid[0][1] = 2

# case: unknown receiver, file without pandas
import numpy as np
def f(m):
    m[0][1] = 2

# case: self.stats['a']['b'] = 1
import pandas as pd
import numpy as np
class C:
    def __init__(self):
        self.stats = {}
    def add(self):
        self.stats['a']['b'] = 1

# case: a tags dict in an estimator method
import pandas as pd
import numpy as np
class T:
    def _more_tags(self):
        tags = self._base_tags()
        tags['_xfail_checks']['check_fit'] = 'msg'
        return tags

# case: report.table['types'][key] = 0
import pandas as pd
import numpy as np
def update(report, key):
    report.table['types'][key] = 0

# case: res['analysis']['title'] = 'x'
import pandas as pd
import numpy as np
def update(res):
    res['analysis']['title'] = 'x'

# case: fix: `df['a'][df['a'] < 0] = 0`
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'][df['a'] < 0] = 0  # expect: ML402
# fixed:
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[df['a'] < 0, 'a'] = 0

# case: fix: `df[df.b > 1]['a'] = 0`
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df[df.b > 1]['a'] = 0  # expect: ML402
# fixed:
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[df.b > 1, 'a'] = 0

# case: fix: `df.loc[rows]['a'] = 0`
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[rows]['a'] = 0  # expect: ML402
# fixed:
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[rows, 'a'] = 0

# case: fix: `df['a'].loc[rows] = 0`
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'].loc[rows] = 0  # expect: ML402
# fixed:
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[rows, 'a'] = 0

# case: fix: `df['a'][3] += 1`
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'][3] += 1  # expect: ML402
# fixed:
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[3, 'a'] += 1

# case: fix: `df['a'][~df.a.isna()] = 0`
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'][~df.a.isna()] = 0  # expect: ML402
# fixed:
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[~df.a.isna(), 'a'] = 0

# case: fix: an attribute receiver in a method
import pandas as pd
import numpy as np
class C:
    def fix(self):
        self.df = pd.read_csv('x')
        self.df['a'][self.df.a < 0] = 0  # expect: ML402
# fixed:
import pandas as pd
import numpy as np
class C:
    def fix(self):
        self.df = pd.read_csv('x')
        self.df.loc[self.df.a < 0, 'a'] = 0

# case: no fix: `df['a']['b']`: both labels: no safe guess of row and column
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a']['b'] = 0  # expect: ML402 (no fix)

# case: no fix: `df[col]['a']`: df[col] may be a column, then 'a' a row label
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df[col]['a'] = 0  # expect: ML402 (no fix)

# case: no fix: `df['a'][0:5]`: a slice means positions here and labels in .loc
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df['a'][0:5] = 0  # expect: ML402 (no fix)

# case: no fix: `df.iloc[0]['a']`: a position then a label
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.iloc[0]['a'] = 0  # expect: ML402 (no fix)

# case: no fix: `df.loc[a, b]['c']`: a two-axis .loc then a label
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df.loc[a, b]['c'] = 0  # expect: ML402 (no fix)

# case: no fix: `df[m][n]`: two unknown keys
import pandas as pd
import numpy as np
df = pd.read_csv('a.csv')
df[m][n] = 0  # expect: ML402 (no fix)
