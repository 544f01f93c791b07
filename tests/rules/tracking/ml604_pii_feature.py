# rules: ML604

# case: email selected among the features
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("customers.csv")
X = df[["age", "income", "email"]]
y = df["churned"]
LogisticRegression().fit(X, y)  # expect: ML604

# case: a feature list constant holds the phone number
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
FEATURES = ["tenure", "phone_number", "monthly_charges"]
df = pd.read_csv("telco.csv")
model = RandomForestClassifier(random_state=0)
model.fit(df[FEATURES], df["churn"])  # expect: ML604

# case: features kept through a split
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("loans.csv")
X = df[["ssn", "loan_amount", "term"]]
X_train, X_test, y_train, y_test = train_test_split(X, df["default"], random_state=0)
clf = DecisionTreeClassifier(random_state=0)
clf.fit(X_train, y_train)  # expect: ML604

# case: camelCase and spaced variants
import pandas as pd
from sklearn.linear_model import LinearRegression
df = pd.read_csv("patients.csv")
X = df[["DateOfBirth", "Home Address", "weight"]]
LinearRegression().fit(X, df["cost"])  # expect: ML604

# case: cross-validation trains on the name column
import pandas as pd
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("applicants.csv")
X = df[["full_name", "score", "years"]]
cross_val_score(LogisticRegression(), X, df["hired"], cv=5)  # expect: ML604

# case: concatenated column lists
import pandas as pd
import xgboost as xgb
NUMERIC = ["amount", "balance"]
IDENTITY = ["credit_card_number", "ip_address"]
df = pd.read_csv("transactions.csv")
model = xgb.XGBClassifier()
model.fit(df[NUMERIC + IDENTITY], df["fraud"])  # expect: ML604

# case: loc selection with a passport column
import pandas as pd
from sklearn.svm import SVC
df = pd.read_csv("travellers.csv")
X = df.loc[:, ["passport_no", "age", "trips"]]
SVC().fit(X, df["flagged"])  # expect: ML604

# case: an unknown model fitted on a frame with a customer email
import pandas as pd
df = pd.read_csv("customers.csv")
features = df[["customer_email", "visits", "spend"]]
model.fit(features, df["label"])  # expect: ML604

# case: the email column dropped before fitting
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("customers.csv")
X = df[["age", "income", "email"]].drop(columns=["email"])
LogisticRegression().fit(X, df["churned"])

# case: email used only as a join key
import pandas as pd
from sklearn.linear_model import LogisticRegression
users = pd.read_csv("users.csv")
orders = pd.read_csv("orders.csv")
df = users.merge(orders, on="email")
X = df[["age", "order_count"]]
LogisticRegression().fit(X, df["churned"])

# case: email made the index
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("users.csv")
X = df[["email", "age", "visits"]].set_index("email")
LogisticRegression().fit(X, df["churned"])

# case: email hashed before it is a feature
import hashlib
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("users.csv")
df["email"] = df["email"].map(lambda e: hashlib.sha256(e.encode()).hexdigest())
X = df[["email", "age", "visits"]]
LogisticRegression().fit(X, df["churned"])

# case: PII column only displayed
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("users.csv")
print(df[["name", "email"]].head())
LogisticRegression().fit(df[["age", "visits"]], df["churned"])

# case: names that merely contain the words
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("users.csv")
X = df[["email_opens", "phone_calls_per_month", "address_changes", "name_length_bucket"]]
LogisticRegression().fit(X, df["churned"])

# case: a ColumnTransformer picks its own columns
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("users.csv")
pre = ColumnTransformer([("num", StandardScaler(), ["age", "visits"])])
pipe = make_pipeline(pre, LogisticRegression())
pipe.fit(df[["email", "age", "visits"]], df["churned"])

# case: a single name column given to an unknown encoder
import pandas as pd
df = pd.read_csv("users.csv")
encoder.fit(df[["name"]])

# case: a transformer fitted on the PII columns is no model
import pandas as pd
from sklearn.preprocessing import OneHotEncoder
df = pd.read_csv("users.csv")
OneHotEncoder().fit(df[["email", "phone"]])
