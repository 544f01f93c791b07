from sklearn.linear_model import LogisticRegression

model = LogisticRegression().fit(df[["income", "balance"]], df["default"])
