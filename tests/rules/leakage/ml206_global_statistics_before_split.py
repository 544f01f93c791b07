# rules: ML206
# case: filled with the mean of all rows, then split
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
df = df.fillna(df.mean())  # expect: ML206
train, test = train_test_split(df)

# case: standardised by hand before the split
from sklearn.model_selection import train_test_split
X = (X - X.mean()) / X.std()  # expect: ML206
X_train, X_test, y_train, y_test = train_test_split(X, y)

# case: divided by the maximum
import numpy as np
from sklearn.model_selection import train_test_split
X = X / X.max()  # expect: ML206
X_train, X_test = train_test_split(X)

# case: clipped at a quantile of all rows
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
df["income"] = df["income"].clip(upper=df["income"].quantile(0.99))  # expect: ML206
train, test = train_test_split(df)

# case: the training side filled with a full-data statistic after the split
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
X_train, X_test = train_test_split(df)
X_train["a"] = X_train["a"].fillna(df["a"].mean())  # expect: ML206

# case: Kaggle concat of train and test, split back by hand
import pandas as pd
from sklearn.linear_model import LogisticRegression
train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
full = pd.concat([train, test], ignore_index=True)
full["age"] = full["age"].fillna(full["age"].median())  # expect: ML206
n_train = len(train)
tr, te = full[:n_train], full[n_train:]
model = LogisticRegression().fit(tr[["age"]], train["survived"])
model.predict(te[["age"]])

# case: numpy mean over the rows (axis=0), in a function
import numpy as np
from sklearn.model_selection import train_test_split
def center_and_split(X, y):
    X = X - np.mean(X, axis=0)  # expect: ML206
    return train_test_split(X, y)

# case: imputed by hand with .loc, then split
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
df.loc[df.age.isna(), "age"] = df.age.median()  # expect: ML206
train, test = train_test_split(df)

# case: sklearn's scale function on all rows
from sklearn import preprocessing
from sklearn.model_selection import train_test_split
X = preprocessing.scale(X)  # expect: ML206
X_train, X_test = train_test_split(X)

# case: the mode of all rows, in place
import pandas as pd
from sklearn.model_selection import KFold
df = pd.read_csv("data.csv")
df["city"].fillna(df["city"].mode()[0], inplace=True)  # expect: ML206
for tr, te in KFold(5).split(df):
    pass

# case: NEGATIVE row-wise statistics
import pandas as pd
from sklearn.model_selection import train_test_split
X = X / X.max(axis=1)
df = pd.read_csv("data.csv")
df = df.sub(df.mean(axis=1), axis=0)
train_test_split(X, df)

# case: NEGATIVE windowed statistics
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
df["a"] = df["a"].fillna(df["a"].rolling(7).mean())
df["b"] = df["b"] - df["b"].shift(1)
df["c"] = df["c"] / df["c"].expanding().max()
train_test_split(df)

# case: NEGATIVE per-group statistics
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
df["a"] = df["a"].fillna(df.groupby("g")["a"].transform("mean"))
train_test_split(df)

# case: NEGATIVE training statistics applied to both sides
import pandas as pd
from sklearn.model_selection import train_test_split
X_train, X_test = train_test_split(pd.read_csv("data.csv"))
means = X_train.mean()
X_train = X_train.fillna(means)
X_test = X_test.fillna(means)

# case: NEGATIVE a constant fill
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv").fillna(0)
df["a"] = df["a"] / 255.0
train_test_split(df)

# case: NEGATIVE a statistic only printed
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
print(df.mean(), df["a"].max())
train_test_split(df)

# case: NEGATIVE a full-data statistic on the test side is not training data
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
X_train, X_test = train_test_split(df)
X_test = X_test.fillna(df.mean())

# case: NEGATIVE the target shifted by its own minimum
from sklearn.datasets import make_regression
from sklearn.model_selection import train_test_split
X, y = make_regression(n_samples=100)
y = y - y.min()
train_test_split(X, y)

# case: NEGATIVE statistics of data that is never split
import pandas as pd
from sklearn.linear_model import LinearRegression
df = pd.read_csv("data.csv")
df = df.fillna(df.mean())
LinearRegression().fit(df[["a"]], df["b"])

# case: a lambda in assign standardises with the mean of every row
from sklearn.model_selection import train_test_split
frame = frame.assign(z=lambda d: (d.x - d.x.mean()) / d.x.std())  # expect: ML206
train, test = train_test_split(frame)

# case: a helper fills gaps with the mean of all rows before the split
import numpy as np
from sklearn.model_selection import train_test_split
def fill_mean(column):
    return column.fillna(np.nanmean(column))
frame["age"] = fill_mean(frame["age"])  # expect: ML206
train, test = train_test_split(frame)

# case: a torch dataset standardised globally, split by a method
import numpy as np
import torch
from torch.utils import data
class TableDataset(data.Dataset):
    def __init__(self, features):
        self.x = torch.from_numpy(features)
    def get_splits(self):
        return data.random_split(self, [800, 200])
table = (table - table.mean()) / table.std()  # expect: ML206
train_part, test_part = TableDataset(table).get_splits()

# case: a lambda in a row-wise apply
from sklearn.model_selection import train_test_split
frame = frame.apply(lambda row: row - row.mean(), axis=1)
train, test = train_test_split(frame)

# case: a helper fills the training side with its own mean
import numpy as np
from sklearn.model_selection import train_test_split
def fill_mean(column):
    return column.fillna(np.nanmean(column))
train, test = train_test_split(frame)
train["age"] = fill_mean(train["age"])

# case: the target column filled with its own mean, then given as y
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
frame.tip = frame.tip.fillna(frame.tip.mean())
X_train, X_test, y_train, y_test = train_test_split(frame[["a", "b"]], frame["tip"])
RandomForestRegressor().fit(X_train, y_train)
