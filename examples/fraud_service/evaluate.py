"""Held-out evaluation of a fraud model: ranking quality and recall at the review budget."""

from sklearn.metrics import average_precision_score, recall_score


def evaluate(model, X_test, y_test, threshold: float = 0.5) -> dict:
    scores = model.predict_proba(X_test)[:, 1]
    return {
        "average_precision": average_precision_score(y_test, scores),
        "recall": recall_score(y_test, scores >= threshold),
    }
