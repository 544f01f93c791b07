# rules: ML506

# case: Flask request.get_json() straight into predict
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    data = request.get_json()
    return {"y": model.predict([data["features"]]).tolist()}  # expect: ML506

# case: Flask request.json inline
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    return {"y": model.predict([request.json["x"]]).tolist()}  # expect: ML506

# case: Flask form values converted to floats
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    features = [float(x) for x in request.form.values()]
    final = [np.array(features)]
    prediction = model.predict_proba(final)  # expect: ML506
    return render_template("index.html", pred=prediction)

# case: FastAPI untyped dict body
from fastapi import FastAPI
app = FastAPI()
@app.post("/predict")
def predict(item: dict):
    return {"y": model.predict([item["x"]]).tolist()}  # expect: ML506

# case: Starlette await request.json() into a DataFrame
from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/predict")
async def predict(request: Request):
    body = await request.json()
    frame = pd.DataFrame(body)
    return {"y": clf.predict(frame).tolist()}  # expect: ML506

# case: Ray Serve __call__ calls the model on the raw json
from ray import serve
@serve.deployment
class Scorer:
    async def __call__(self, request):
        payload = await request.json()
        return self.model(payload["inputs"])  # expect: ML506

# case: Django view parses the body
import json
from django.http import JsonResponse
def predict(request):
    rows = json.loads(request.body)
    return JsonResponse({"y": model.predict(rows).tolist()})  # expect: ML506

# case: Dict[str, Any] parameter
from typing import Any, Dict
from fastapi import FastAPI
app = FastAPI()
@app.post("/predict")
def predict(payload: Dict[str, Any]):
    X = np.array(payload["rows"])
    scores = model.predict_proba(X)[:, 1]  # expect: ML506
    return {"scores": scores.tolist()}

# case: BentoML JSON() input without a pydantic model
import bentoml
from bentoml.io import JSON
svc = bentoml.Service("churn", runners=[runner])
@svc.api(input=JSON(), output=JSON())
def classify(input_data):
    frame = pd.DataFrame([input_data])
    return {"y": runner.predict.run(frame).tolist()}  # expect: ML506

# case: BentoML JSON() input with a pydantic model
import bentoml
from bentoml.io import JSON
svc = bentoml.Service("churn", runners=[runner])
@svc.api(input=JSON(pydantic_model=Customer), output=JSON())
def classify(customer):
    return {"y": runner.predict.run(pd.DataFrame([customer.dict()])).tolist()}

# case: pydantic-typed FastAPI body
from fastapi import FastAPI
from pydantic import BaseModel
app = FastAPI()
class Item(BaseModel):
    x: float
@app.post("/predict")
def predict(item: Item):
    return {"y": model.predict([[item.x]]).tolist()}

# case: payload validated by a pydantic model
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    features = Features(**request.get_json())
    return {"y": model.predict([features.values]).tolist()}

# case: explicit checks before predicting
from flask import Flask, request, abort
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    data = request.get_json()
    if "features" not in data or len(data["features"]) != 4:
        abort(400)
    return {"y": model.predict([data["features"]]).tolist()}

# case: a schema validates the payload
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    data = request.get_json()
    jsonschema.validate(data, SCHEMA)
    return {"y": model.predict([data["features"]]).tolist()}

# case: marshmallow schema load
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    rows = input_schema.load(request.json)
    return {"y": model.predict(rows).tolist()}

# case: a try block handles malformed input
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    try:
        x = [float(v) for v in request.json["x"]]
    except (KeyError, TypeError, ValueError):
        return {"error": "bad input"}, 400
    return {"y": model.predict([x]).tolist()}

# case: request data that never reaches the model
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    user = request.json["user"]
    log.info("request from %s", user)
    return {"y": model.predict(DEFAULT_ROWS).tolist()}

# case: a plain function reading a response's json
import requests
def predict(url):
    data = requests.get(url).json()
    return model.predict(data["rows"])

# case: dict parameter outside any route
def predict(item: dict):
    return model.predict([item["x"]])

# case: load_model called with request data is not a model call
from flask import Flask, request
app = Flask(__name__)
@app.route("/reload", methods=["POST"])
def reload():
    global model
    model = load_model(request.json["path"])
    return {"ok": model.predict(PROBE).tolist()}

# case: a check of the prediction after the call validates nothing
from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/predict")
async def predict(request: Request):
    data = await request.json()
    proba = model.predict_proba([data["x"]])[0]  # expect: ML506
    if proba.max() < THRESHOLD:
        return {"label": "other"}
    return {"label": int(proba.argmax())}
