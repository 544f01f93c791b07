from fairlearn.metrics import MetricFrame
from sklearn.metrics import recall_score


def audit(model, X, y):
    return MetricFrame(metrics=recall_score, y_true=y, y_pred=model.predict(X), sensitive_features=X["sex"])
