import statsd
from flask import Flask, request

app = Flask(__name__)
metrics = statsd.StatsClient("localhost", 8125)


@app.route("/predict", methods=["POST"])
def predict():
    metrics.incr("predictions")
    return {"y": model.predict(request.json["rows"]).tolist()}
