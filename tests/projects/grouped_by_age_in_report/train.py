from sklearn.linear_model import Ridge

X = df[["age", "bmi", "children"]]
model = Ridge().fit(X, df["charges"])
