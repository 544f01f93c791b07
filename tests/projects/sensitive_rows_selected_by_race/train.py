from sklearn.linear_model import LogisticRegression

subset = df[df["race"] != "unknown"]  # expect: ML603
model = LogisticRegression().fit(subset[FEATURES], subset["approved"])
