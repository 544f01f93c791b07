import joblib
import pandas as pd

model = joblib.load("model.joblib")
frame = pd.read_csv(INPUT)
frame["score"] = model.predict_proba(frame)[:, 1]
frame.to_csv(OUTPUT, index=False)
