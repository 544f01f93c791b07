# rules: ML209
# case: sorted by date, then a shuffled split
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("sales.csv")
df = df.sort_values("date")
X = df.drop(columns=["date", "units"])
y = df["units"]
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)  # expect: ML209
# fixed:
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("sales.csv")
df = df.sort_values("date")
X = df.drop(columns=["date", "units"])
y = df["units"]
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, shuffle=False)

# case: indexed on a parsed date column when read
import pandas as pd
from sklearn.model_selection import train_test_split
prices = pd.read_csv("prices.csv", index_col="Date", parse_dates=True)
features = prices[["open", "volume"]]
target = prices["close"]
f_train, f_test, t_train, t_test = train_test_split(features, target, test_size=0.2)  # expect: ML209

# case: set_index on a timestamp
import pandas as pd
from sklearn.model_selection import train_test_split
log = pd.read_parquet("events.parquet")
log = log.set_index("timestamp").sort_index()
train, test = train_test_split(log, test_size=0.25, random_state=1)  # expect: ML209

# case: sorted in place
import pandas as pd
from sklearn.model_selection import train_test_split
data = pd.read_csv("weather.csv")
data.sort_values(by="datetime", inplace=True)
train_df, test_df = train_test_split(data, random_state=0)  # expect: ML209

# case: a shuffled K-fold over time-ordered rows
import pandas as pd
from sklearn.model_selection import KFold
df = pd.read_csv("load.csv").sort_values("date")
X = df[["temp", "hour"]].values
kf = KFold(n_splits=5, shuffle=True, random_state=0)
for tr, te in kf.split(X):  # expect: ML209 (no fix)
    pass

# case: ShuffleSplit over a date-indexed frame
import pandas as pd
from sklearn.model_selection import ShuffleSplit
series = pd.read_csv("demand.csv", parse_dates=["day"], index_col="day")
for tr, te in ShuffleSplit(n_splits=3, random_state=0).split(series):  # expect: ML209 (no fix)
    pass

# case: stratified split of sorted data offers no fix
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("churn.csv").sort_values("event_time")
X = df.drop(columns=["churned"])
y = df["churned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)  # expect: ML209 (no fix)

# case: inside a function
import pandas as pd
from sklearn.model_selection import train_test_split
def prepare(path):
    frame = pd.read_csv(path)
    frame = frame.sort_values(["date", "store"]).reset_index(drop=True)
    return train_test_split(frame.drop(columns=["sales"]), frame["sales"], random_state=0)  # expect: ML209

# case: shuffle=False keeps time order
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("sales.csv").sort_values("date")
X_train, X_test, y_train, y_test = train_test_split(df[["a"]], df["y"], shuffle=False)

# case: TimeSeriesSplit
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
df = pd.read_csv("sales.csv").sort_values("date")
for tr, te in TimeSeriesSplit(5).split(df):
    pass

# case: KFold without shuffling
import pandas as pd
from sklearn.model_selection import KFold
df = pd.read_csv("sales.csv").sort_values("date")
for tr, te in KFold(5).split(df):
    pass

# case: sorted by a column that is not a date
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("houses.csv").sort_values("price")
X_train, X_test, y_train, y_test = train_test_split(df[["rooms"]], df["price"], random_state=0)

# case: dates parsed but not used as the order
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("customers.csv", parse_dates=["signup_date"])
X_train, X_test, y_train, y_test = train_test_split(df[["age"]], df["spent"], random_state=0)

# case: shuffled on purpose after sorting
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("sales.csv").sort_values("date")
df = df.sample(frac=1, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(df[["a"]], df["y"], random_state=0)

# case: a different frame is split
import pandas as pd
from sklearn.model_selection import train_test_split
history = pd.read_csv("sales.csv").sort_values("date")
features = pd.read_csv("features.csv")
X_train, X_test, y_train, y_test = train_test_split(features[["a"]], features["y"], random_state=0)

# case: sorted after the split
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("sales.csv")
train, test = train_test_split(df, random_state=0)
df = df.sort_values("date")

# case: repeated K-folds always shuffle
import pandas as pd
from sklearn.model_selection import RepeatedKFold, cross_val_score
df = pd.read_csv("sales.csv").set_index("date")
rkf = RepeatedKFold(n_splits=5, n_repeats=3, random_state=0)
for tr, te in rkf.split(df):  # expect: ML209 (no fix)
    pass
