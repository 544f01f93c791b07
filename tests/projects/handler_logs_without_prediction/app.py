import logging

import joblib
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("app")
model = joblib.load("model.joblib")


@app.route("/predict", methods=["POST"])
def predict():  # expect: ML507
    log.info("request received")
    return {"y": model.predict([request.json["x"]]).tolist()}
