from fastapi import FastAPI
from pydantic import BaseModel

from model import classifier

app = FastAPI()


class Applicant(BaseModel):
    income: float
    debt: float


@app.post("/score")
def score(applicant: Applicant):  # expect: ML507
    return {"default": float(classifier.predict_proba([[applicant.income, applicant.debt]])[0, 1])}


@app.get("/health")
def health():
    return {"ok": True}
