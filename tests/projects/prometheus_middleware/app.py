from fastapi import FastAPI

from middleware import timed

app = FastAPI()
app.middleware("http")(timed)


@app.post("/predict")
def predict(rows: list[list[float]]):
    return {"y": model.predict(rows).tolist()}
