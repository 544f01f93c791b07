import joblib
from fastapi import FastAPI

from middleware import install_metrics

app = FastAPI()
install_metrics(app)
model = joblib.load("model.joblib")


@app.post("/predict")
def predict(item: dict):
    return {"y": model.predict([item["x"]]).tolist()}
