# rules: ML401

# case: bad = df[df.total == np.nan]
import pandas as pd
import numpy as np
bad = df[df.total == np.nan]  # expect: ML401

# case: bad = df[df.total != np.nan]
import pandas as pd
import numpy as np
bad = df[df.total != np.nan]  # expect: ML401

# case: bad = np.nan == x
import pandas as pd
import numpy as np
bad = np.nan == x  # expect: ML401

# case: if value == numpy.nan:
import numpy
if value == numpy.nan:  # expect: ML401
    pass

# case: ok = x != np.NaN
import numpy as np
ok = x != np.NaN  # expect: ML401

# case: if x == math.nan:
import math
if x == math.nan:  # expect: ML401 (no fix)
    pass

# case: if x == nan:
from math import nan
if x == nan:  # expect: ML401 (no fix)
    pass

# case: if x == float('nan'):
if x == float('nan'):  # expect: ML401 (no fix)
    pass

# case: if x != float('NaN'):
if x != float('NaN'):  # expect: ML401 (no fix)
    pass

# case: mask = s == pd.NA
import pandas as pd
mask = s == pd.NA  # expect: ML401

# case: flag = y == NAN_VALUE
from numpy import nan as NAN_VALUE
flag = y == NAN_VALUE  # expect: ML401 (no fix)

# case: return a == np.nan
import numpy as np
def f(a):
    return a == np.nan  # expect: ML401

# case: bad = [v for v in values if v == np.nan]
import numpy as np
bad = [v for v in values if v == np.nan]  # expect: ML401

# case: ok = pd.isna(x)
import pandas as pd
import numpy as np
ok = pd.isna(x)

# case: ok = np.isnan(x)
import pandas as pd
import numpy as np
ok = np.isnan(x)

# case: identity, not equality: a different (if fragile) question
import pandas as pd
import numpy as np
ok = x is np.nan

# case: ordering is not what the rule is about
import pandas as pd
import numpy as np
ok = x < np.nan

# case: a local variable called nan
nan = 0
ok = x == nan

# case: ok = x == float('inf')
ok = x == float('inf')

# case: ok = x == float(value)
ok = x == float(value)

# case: comparing with the string
ok = x == 'nan'

# case: not the numpy module
class np:
    nan = 1
ok = x == np.nan

# case: ok = df.isna().sum() == 0
import pandas as pd
import numpy as np
ok = df.isna().sum() == 0

# case: fix: `bad = df[df.total == np.nan]`
import pandas as pd
import numpy as np
bad = df[df.total == np.nan]  # expect: ML401
# fixed:
import pandas as pd
import numpy as np
bad = df[pd.isna(df.total)]

# case: fix: `bad = df[np.nan != df.total]`
import pandas as pd
import numpy as np
bad = df[np.nan != df.total]  # expect: ML401
# fixed:
import pandas as pd
import numpy as np
bad = df[pd.notna(df.total)]

# case: fix: `bad = x == np.nan`
import numpy as np
bad = x == np.nan  # expect: ML401
# fixed:
import numpy as np
bad = np.isnan(x)

# case: fix: `bad = x != np.nan`
import numpy as np
bad = x != np.nan  # expect: ML401
# fixed:
import numpy as np
bad = ~np.isnan(x)

# case: fix: `bad = (a + b) == math.nan`
import numpy as xp
import math
bad = (a + b) == math.nan  # expect: ML401
# fixed:
import numpy as xp
import math
bad = xp.isnan(a + b)

# case: fix: `bad = s == pandas.NA`
import pandas
bad = s == pandas.NA  # expect: ML401
# fixed:
import pandas
bad = pandas.isna(s)

# case: fix: `n = (arr == np.nan).sum()`
import numpy as np
n = (arr == np.nan).sum()  # expect: ML401
# fixed:
import numpy as np
n = (np.isnan(arr)).sum()

# case: fix: inside a function
import pandas as pd
import numpy as np
def clean(df):
    return df[df.x != np.nan]  # expect: ML401
# fixed:
import pandas as pd
import numpy as np
def clean(df):
    return df[pd.notna(df.x)]

# case: no fix: math.nan without numpy or pandas
import math
ok = x == math.nan  # expect: ML401 (no fix)

# case: no fix: a chained comparison has no one-call rewrite
import numpy as np
ok = a == b == np.nan  # expect: ML401 (no fix)

# case: no fix: np.isnan raises on pd.NA
import numpy as np
from pandas import NA
ok = x == NA  # expect: ML401 (no fix)
