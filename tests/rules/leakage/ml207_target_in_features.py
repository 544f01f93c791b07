# rules: ML207
# case: features drop the id but keep the target
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
df = pd.read_csv("data.csv")
y = df["target"]
X = df.drop(columns=["id"])
RandomForestClassifier(random_state=0).fit(X, y)  # expect: ML207

# case: the whole frame as features
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
LogisticRegression().fit(df, df["label"])  # expect: ML207

# case: target read as an attribute, features selected with the target in the list
import pandas as pd
from sklearn.linear_model import LinearRegression
df = pd.read_csv("houses.csv")
X = df[["rooms", "area", "price"]]
LinearRegression().fit(X, df.price)  # expect: ML207

# case: flagged once on the split; fits on its outputs are not flagged again
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
df = pd.read_csv("data.csv")
X = df.drop("id", axis=1)
y = df["target"]
X_train, X_test, y_train, y_test = train_test_split(X, y)  # expect: ML207
SVC().fit(X_train, y_train)

# case: cross-validated with the target in the features
import pandas as pd
from sklearn.model_selection import cross_val_score
from sklearn.tree import DecisionTreeClassifier
data = pd.read_csv("data.csv")
cross_val_score(DecisionTreeClassifier(), data, data["y"])  # expect: ML207

# case: inside a function, frame as a parameter
from sklearn.linear_model import Ridge
def train(df):
    features = df.drop(columns=["date"])
    target = df["sales"]
    return Ridge().fit(features, target)  # expect: ML207

# case: the target named by a string constant, features as a numpy array
import pandas as pd
from sklearn.neighbors import KNeighborsClassifier
TARGET = "churned"
customers = pd.read_csv("customers.csv")
X = customers.drop(columns=["customer_id"]).values
y = customers[TARGET].values
KNeighborsClassifier().fit(X, y)  # expect: ML207

# case: the target as a one-column frame, features from a copy
import pandas as pd
from sklearn.linear_model import Lasso
df = pd.read_csv("data.csv")
y = df[["target"]]
X = df.copy()
Lasso().fit(X=X, y=y)  # expect: ML207

# case: a dropna'd frame keeps its columns
import pandas as pd
from xgboost import XGBClassifier
df = pd.read_csv("data.csv").dropna()
XGBClassifier().fit(df.drop(columns=["id", "ts"]), df["label"])  # expect: ML207

# case: NEGATIVE the target dropped from the features
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
X = df.drop(columns=["target"])
LogisticRegression().fit(X, df["target"])

# case: NEGATIVE dropped by position with axis=1
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
LogisticRegression().fit(df.drop("target", axis=1), df["target"])

# case: NEGATIVE the target popped out of the frame
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df.pop("target")
LogisticRegression().fit(df, y)

# case: NEGATIVE features selected without the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
LogisticRegression().fit(df[["a", "b"]], df["target"])

# case: NEGATIVE column names that are not literals
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
LogisticRegression().fit(df.drop(columns=[target_col]), df[target_col])

# case: NEGATIVE positional columns
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
X, y = df.iloc[:, :-1], df.iloc[:, -1]
LogisticRegression().fit(X, y)

# case: NEGATIVE a ColumnTransformer picks its columns by name
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
df = pd.read_csv("data.csv")
prep = ColumnTransformer([("num", StandardScaler(), ["a", "b"])], remainder="drop")
Pipeline([("prep", prep), ("ridge", Ridge())]).fit(df, df["target"])

# case: NEGATIVE the target comes from another frame
import pandas as pd
from sklearn.linear_model import LogisticRegression
features = pd.read_csv("features.csv")
labels = pd.read_csv("labels.csv")
LogisticRegression().fit(features, labels["target"])

# case: NEGATIVE dropped in place after taking the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
df.drop(columns=["target"], inplace=True)
LogisticRegression().fit(df, y)

# case: NEGATIVE deleted from the frame
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
del df["target"]
LogisticRegression().fit(df, y)

# case: fix: `X = df.drop(columns=["id"])` drops the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df.drop(columns=["id"])
LogisticRegression().fit(X, y)  # expect: ML207
# fixed:
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df.drop(columns=["id", "target"])
LogisticRegression().fit(X, y)

# case: fix: `X = df.drop(columns="id")` drops the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df.drop(columns="id")
LogisticRegression().fit(X, y)  # expect: ML207
# fixed:
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df.drop(columns=["id", "target"])
LogisticRegression().fit(X, y)

# case: fix: `X = df.drop("id", axis=1)` drops the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df.drop("id", axis=1)
LogisticRegression().fit(X, y)  # expect: ML207
# fixed:
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df.drop(["id", "target"], axis=1)
LogisticRegression().fit(X, y)

# case: fix: `X = df[["a", "target"]]` drops the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df[["a", "target"]]
LogisticRegression().fit(X, y)  # expect: ML207
# fixed:
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df[["a"]]
LogisticRegression().fit(X, y)

# case: fix: `X = df` drops the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df
LogisticRegression().fit(X, y)  # expect: ML207
# fixed:
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("data.csv")
y = df["target"]
X = df
LogisticRegression().fit(X.drop(columns=["target"]), y)

# case: an estimator taken from a dict is cross-validated
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score
df = pd.read_csv("d.csv")
models = {"ridge": Ridge()}
best = "ridge"
print(cross_val_score(models[best], df[["a", "b"]], df["y"]))

# case: a helper fits on the table it is given: reported at the call that passes the target along
import pandas as pd
from sklearn.linear_model import LogisticRegression
def fit_model(features, labels):
    return LogisticRegression().fit(features, labels)
df = pd.read_csv("d.csv")
fit_model(df.drop(columns=["id"]), df["y"])  # expect: ML207

# case: a helper splits the table it is given with the target still in it
import pandas as pd
from sklearn.model_selection import train_test_split
def split(features, labels):
    return train_test_split(features, labels, random_state=0)
df = pd.read_csv("d.csv")
parts = split(df, df["label"])  # expect: ML207 (no fix)

# case: NEGATIVE a helper given the features without the target
import pandas as pd
from sklearn.linear_model import LogisticRegression
def fit_model(features, labels):
    return LogisticRegression().fit(features, labels)
df = pd.read_csv("d.csv")
fit_model(df.drop(columns=["id", "y"]), df["y"])

# case: NEGATIVE a helper that drops the target itself before fitting
import pandas as pd
from sklearn.linear_model import LogisticRegression
def fit_model(frame, target):
    return LogisticRegression().fit(frame.drop(columns=[target]), frame[target])
df = pd.read_csv("d.csv")
fit_model(df, "y")
