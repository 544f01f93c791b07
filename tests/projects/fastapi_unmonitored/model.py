import joblib

classifier = joblib.load("artifacts/classifier.joblib")
