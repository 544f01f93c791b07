from flask import Flask, request

from telemetry import tracer

app = Flask(__name__)


@app.route("/predict", methods=["POST"])
def predict():
    with tracer.start_as_current_span("predict"):
        return {"y": model.predict(request.json["rows"]).tolist()}
