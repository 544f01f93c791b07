from sklearn.linear_model import LogisticRegression

features = ["sex", "religion", "income"]  # expect: ML603
model = LogisticRegression().fit(df[features], df["label"])
df["prediction"] = model.predict(df[features])
