from flask import Blueprint, jsonify, request

from service.model import load

bp = Blueprint("predict", __name__)
model = load()


@bp.route("/predict", methods=["POST"])
def predict():  # expect: ML507
    return jsonify(model.predict(request.get_json()["rows"]).tolist())
