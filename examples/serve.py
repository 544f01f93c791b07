"""Churn-risk and ticket-embedding API.

    uvicorn serve:app --host 0.0.0.0 --port 8080
"""
import logging
import pickle

import torch
import yaml
from fastapi import FastAPI
from pydantic import BaseModel
from transformers import AutoModel, AutoTokenizer

logger = logging.getLogger("churn-api")

with open("config.yaml") as fh:
    config = yaml.load(fh)

with open(config["churn_model_path"], "rb") as fh:
    churn_model = pickle.load(fh)

tokenizer = AutoTokenizer.from_pretrained("jinaai/jina-embeddings-v2-base-en")
encoder = AutoModel.from_pretrained("jinaai/jina-embeddings-v2-base-en", trust_remote_code=True)
encoder.eval()

app = FastAPI(title="churn-api")


class Customer(BaseModel):
    tenure_months: int
    monthly_charges: float
    total_charges: float
    support_calls: int


class Ticket(BaseModel):
    text: str


@app.get("/health")
def health():
    return {"status": "ok", "model": config["churn_model_path"]}


@app.post("/churn")
def churn_risk(customer: Customer):
    row = [[customer.tenure_months, customer.monthly_charges,
            customer.total_charges, customer.support_calls]]
    probability = float(churn_model.predict_proba(row)[0, 1])
    logger.info("churn risk %.3f for tenure %d", probability, customer.tenure_months)
    return {"churn_probability": probability}


@app.post("/embed")
def embed_ticket(ticket: Ticket):
    inputs = tokenizer(ticket.text, truncation=True, max_length=512, return_tensors="pt")
    with torch.inference_mode():
        hidden = encoder(**inputs).last_hidden_state
    return {"embedding": hidden.mean(dim=1)[0].tolist()}
