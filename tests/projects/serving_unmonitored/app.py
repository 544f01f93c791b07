import logging

import joblib
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)
model = joblib.load("model.joblib")


@app.route("/health")
def health():
    log.info("health check")
    return "ok"


@app.route("/predict", methods=["POST"])
def predict():  # expect: ML507
    return {"y": model.predict([request.json["x"]]).tolist()}
