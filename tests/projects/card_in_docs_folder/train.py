import joblib
from sklearn.linear_model import LogisticRegression

model = LogisticRegression().fit(X, y)
joblib.dump(model, "churn.joblib")
