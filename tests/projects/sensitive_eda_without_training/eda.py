import pandas as pd

df = pd.read_csv(DATA)
print(df["age"].describe())
print(df[["sex", "income"]].corr(numeric_only=True))
