from xgboost import XGBClassifier

X = df[["is_male", "hours", "tenure"]]  # expect: ML603
XGBClassifier(random_state=0).fit(X, df["promoted"])
