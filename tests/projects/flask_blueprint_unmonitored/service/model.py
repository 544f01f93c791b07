import joblib


def load():
    return joblib.load("model.joblib")
