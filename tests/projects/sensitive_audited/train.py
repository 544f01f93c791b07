import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv(DATA)
features = ["income", "debt", "sex"]
model = LogisticRegression().fit(df[features], df["default"])
