import logging

import joblib
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)
model = joblib.load("model.joblib")


@app.route("/predict", methods=["POST"])
def predict():
    features = request.json["x"]
    prediction = model.predict([features]).tolist()
    log.info("predicted %s for %s", prediction, features)
    return {"y": prediction}
