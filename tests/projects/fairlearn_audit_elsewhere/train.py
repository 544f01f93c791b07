from sklearn.linear_model import LogisticRegression

from fairness import audit

X = df[["age", "sex", "income"]]
model = LogisticRegression().fit(X, df["default"])
print(audit(df["default"], model.predict(X), df["sex"]))
