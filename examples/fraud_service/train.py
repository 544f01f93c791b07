"""Trains the fraud model on the DVC-versioned transactions and registers it in MLflow."""

import mlflow
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split

from evaluate import evaluate
from tracking import log_results, start_run

SEED = 11
PARAMS = {"learning_rate": 0.05, "max_iter": 300, "random_state": SEED}
FEATURES = ["amount", "merchant_risk", "hour", "card_age_days", "foreign"]

transactions = pd.read_parquet("data/transactions.parquet")
X_train, X_test, y_train, y_test = train_test_split(
    transactions[FEATURES], transactions["is_fraud"], test_size=0.2, stratify=transactions["is_fraud"],
    random_state=SEED,
)

with start_run("hgb"):
    model = HistGradientBoostingClassifier(**PARAMS).fit(X_train, y_train)
    log_results(PARAMS, evaluate(model, X_test, y_test))
    mlflow.sklearn.log_model(model, "model", registered_model_name="fraud-detector")
