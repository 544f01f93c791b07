# rules: ML505

# case: FastAPI route fits a scaler on the request
from fastapi import FastAPI
from sklearn.preprocessing import StandardScaler
app = FastAPI()
@app.post("/predict")
def predict(item: Item):
    X = StandardScaler().fit_transform([item.values])  # expect: ML505
    return {"y": model.predict(X).tolist()}

# case: Flask route fits an encoder then predicts
from flask import Flask, request
app = Flask(__name__)
@app.route("/predict", methods=["POST"])
def predict():
    encoder.fit(request.json["rows"])  # expect: ML505
    return {"y": model.predict(encoder.transform(request.json["rows"])).tolist()}

# case: async FastAPI route on a router
from fastapi import APIRouter
router = APIRouter()
@router.post("/score")
async def score(payload: Payload):
    features = vectorizer.fit_transform(payload.texts)  # expect: ML505
    return {"scores": clf.predict_proba(features).tolist()}

# case: TorchServe handler preprocess fits
from ts.torch_handler.base_handler import BaseHandler
class Handler(BaseHandler):
    def preprocess(self, data):
        rows = [item["body"] for item in data]
        self.scaler.fit(rows)  # expect: ML505
        return self.model(self.scaler.transform(rows))

# case: MLflow PythonModel predict fits
import mlflow.pyfunc
class Wrapper(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        scaled = self.scaler.fit_transform(model_input)  # expect: ML505
        return self.model.predict(scaled)

# case: Ray Serve deployment __call__
from ray import serve
@serve.deployment
class Scorer:
    async def __call__(self, request):
        rows = await request.json()
        self.imputer.fit(rows)  # expect: ML505
        return self.model.predict(self.imputer.transform(rows)).tolist()

# case: BentoML api method
import bentoml
@bentoml.service
class Churn:
    @bentoml.api
    def classify(self, rows: list) -> list:
        X = self.scaler.fit_transform(rows)  # expect: ML505
        return self.model.predict(X).tolist()

# case: Starlette route decorator
from starlette.applications import Starlette
app = Starlette()
@app.route("/predict")
async def predict(request):
    body = await request.json()
    scaled = MinMaxScaler().fit_transform(body["x"])  # expect: ML505
    return JSONResponse({"y": model.predict(scaled).tolist()})

# case: Django view fits per request
from django.http import JsonResponse
def predict(request):
    X = StandardScaler().fit_transform(parse(request.body))  # expect: ML505
    return JsonResponse({"y": model.predict(X).tolist()})

# case: fit at start-up, only transform in the handler
from fastapi import FastAPI
app = FastAPI()
scaler = StandardScaler().fit(X_train)
@app.post("/predict")
def predict(item: Item):
    return {"y": model.predict(scaler.transform([item.values])).tolist()}

# case: a training endpoint retrains on purpose
from fastapi import FastAPI
app = FastAPI()
@app.post("/train")
def train_model(config: Config):
    model.fit(X, y)
    return {"accuracy": model.score(X_test, y_test), "sample": model.predict(X_test[:1]).tolist()}

# case: a retrain route named by its path
from flask import Flask
app = Flask(__name__)
@app.route("/retrain", methods=["POST"])
def run():
    model.fit(load_data(), labels)
    return {"ok": True, "check": model.predict(probe).tolist()}

# case: fit in a training script that is no handler
from sklearn.linear_model import LogisticRegression
def predict(X_train, y_train, X_test):
    model = LogisticRegression().fit(X_train, y_train)
    return model.predict(X_test)

# case: predict method of a plain model class without serving imports
class Ensemble(BaseModel):
    def predict(self, X):
        self.scaler.fit(X)
        return self.model.predict(self.scaler.transform(X))

# case: a handler that fits but serves no prediction
from fastapi import FastAPI
app = FastAPI()
@app.post("/similar")
def similar(query: Query):
    matrix = TfidfVectorizer().fit_transform(documents + [query.text])
    return {"scores": cosine_similarity(matrix[-1], matrix[:-1]).tolist()}

# case: the serving class fits in its constructor
from ts.torch_handler.base_handler import BaseHandler
class Handler(BaseHandler):
    def initialize(self, context):
        self.scaler.fit(load_reference())
    def handle(self, data, context):
        return self.model(self.scaler.transform(data))

# case: fit inside a helper defined in the handler for a background job
from fastapi import FastAPI
app = FastAPI()
@app.post("/predict")
def predict(item: Item, tasks: BackgroundTasks):
    def refresh():
        scaler.fit(load_reference())
    tasks.add_task(refresh)
    return {"y": model.predict(scaler.transform([item.values])).tolist()}

# case: Flask app with a fit outside any route
from flask import Flask
app = Flask(__name__)
model.fit(X, y)
@app.route("/predict")
def predict():
    return {"y": model.predict(X_new).tolist()}
