from fastapi import FastAPI

app = FastAPI()


@app.post("/predict")
def predict(rows: list[list[float]]):
    return {"y": model.predict(rows).tolist()}
