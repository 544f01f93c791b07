"""Scores card transactions for the review queue."""

import mlflow.pyfunc
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
model = mlflow.pyfunc.load_model("models:/fraud-detector/Production")


class Transaction(BaseModel):
    amount: float
    merchant_risk: float
    hour: int
    card_age_days: int
    foreign: bool


@app.post("/score")
def score(transaction: Transaction) -> dict:
    frame = [transaction.model_dump()]
    return {"fraud_probability": float(model.predict(frame)[0])}
