import logging

from fastapi import FastAPI

app = FastAPI()
logger = logging.getLogger(__name__)


@app.post("/predict")
def predict(rows: list[list[float]]):
    result = model.predict(rows).tolist()
    logger.info(f"served {len(rows)} rows: {result}")
    return {"y": result}
