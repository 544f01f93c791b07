import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv(DATA)
features = ["income", "debt", "sex"]  # expect: ML603
df = df.drop(columns=["race"])
LogisticRegression().fit(df[features], df["default"])
