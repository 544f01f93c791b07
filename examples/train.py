"""Train the customer-churn classifier.

Reads the telco customer export, cleans it, fits a random forest and writes
the model next to the API that serves it (see serve.py).

    python train.py data/telco_churn.csv
"""
import sys

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, roc_auc_score
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["tenure_months", "monthly_charges", "total_charges", "support_calls"]
CATEGORICAL = ["contract_type", "payment_method", "internet_service"]
TARGET = "churned"
MAX_ROWS = 50_000


def load_customers(path):
    df = pd.read_csv(path)
    df[TARGET] = (df["churn_label"] == "Yes").astype(int)

    # New customers have no total yet; keep an eye on how many there are.
    no_total = df[df.total_charges == np.nan]
    print(f"{len(no_total)} customers without total_charges")
    df.dropna()

    # Refunds are exported as negative totals.
    df["total_charges"][df["total_charges"] < 0] = 0
    return df


def baseline_report(df):
    """Cross-validated reference numbers: a dummy model and a linear pipeline."""
    X = df[NUMERIC + CATEGORICAL]
    y = df[TARGET]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    preprocess = ColumnTransformer(
        [
            ("num", StandardScaler(), NUMERIC),
            ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ]
    )
    linear = Pipeline([("prep", preprocess), ("clf", LogisticRegression(max_iter=1000))])
    dummy = DummyClassifier(strategy="prior")

    for name, candidate in [("dummy", dummy), ("logreg", linear)]:
        scores = cross_val_score(candidate, X_train, y_train, cv=5, scoring="roc_auc")
        print(f"{name:>8}: ROC AUC {scores.mean():.3f} +/- {scores.std():.3f}")


path = sys.argv[1] if len(sys.argv) > 1 else "data/telco_churn.csv"
customers = load_customers(path)
baseline_report(customers)

# The full export is slow to iterate on: train on a random subset.
if len(customers) > MAX_ROWS:
    keep = np.random.choice(len(customers), size=MAX_ROWS, replace=False)
    customers = customers.iloc[keep]

X = pd.get_dummies(customers[NUMERIC + CATEGORICAL], columns=CATEGORICAL)
y = customers[TARGET]

scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)

X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, stratify=y)

model = RandomForestClassifier(n_estimators=400, max_depth=12, n_jobs=-1)
model.fit(X_train, y_train)

proba = model.predict_proba(X_test)[:, 1]
print(f"random forest: ROC AUC {roc_auc_score(y_test, proba):.3f}")
print(classification_report(y_test, model.predict(X_test)))

joblib.dump(model, "model.pkl")
print("saved model.pkl")
