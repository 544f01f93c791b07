import joblib
import pandas as pd
from sklearn.metrics import accuracy_score

holdout = pd.read_csv("data/holdout.csv")
model = joblib.load("model.joblib")
print(accuracy_score(holdout["y"], model.predict(holdout[FEATURES])))
