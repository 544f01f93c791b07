import joblib
from sklearn.linear_model import LogisticRegression

model = LogisticRegression(max_iter=1000).fit(X, y)
joblib.dump(model, "churn.joblib")  # expect: ML605
