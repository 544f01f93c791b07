"""Lead-scoring API: the older Flask service behind the CRM webhook.

    flask --app scoring_api run --port 9696
"""
import logging

import joblib
from flask import Flask, jsonify, request
from sklearn.preprocessing import StandardScaler

NUMERIC = ["visits", "pages_per_visit", "minutes_on_site"]

logger = logging.getLogger("lead-scoring")
model = joblib.load("artifacts/lead_model.joblib")
scaler = joblib.load("artifacts/lead_scaler.joblib")  # fitted on the training leads

app = Flask("lead-scoring")


@app.route("/score", methods=["POST"])
def score():
    lead = request.get_json()
    row = [[lead[name] for name in NUMERIC]]
    scaled = StandardScaler().fit_transform(row)
    probability = float(model.predict_proba(scaled)[0, 1])
    logger.info("lead score %.3f", probability)
    return jsonify({"score": probability})


@app.route("/score/batch", methods=["POST"])
def score_batch():
    """Done right: the rows are checked, and scaled by the scaler fitted at training time."""
    leads = request.get_json()
    if not isinstance(leads, list) or any(set(NUMERIC) - set(lead) for lead in leads):
        return jsonify({"error": f"expected a list of objects with the fields {NUMERIC}"}), 400
    rows = scaler.transform([[lead[name] for name in NUMERIC] for lead in leads])
    probabilities = model.predict_proba(rows)[:, 1]
    logger.info("scored %d leads, mean %.3f", len(leads), probabilities.mean())
    return jsonify({"scores": probabilities.tolist()})
