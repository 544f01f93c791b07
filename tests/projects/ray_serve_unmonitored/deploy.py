import joblib
from ray import serve


@serve.deployment
class Predictor:
    def __init__(self):
        self.model = joblib.load("model.joblib")

    async def __call__(self, request):  # expect: ML507
        payload = await request.json()
        return {"prediction": self.model.predict([payload["features"]]).tolist()}
