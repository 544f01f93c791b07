from fairlearn.metrics import MetricFrame
from sklearn.metrics import recall_score


def audit(y_true, y_pred, groups):
    return MetricFrame(metrics=recall_score, y_true=y_true, y_pred=y_pred, sensitive_features=groups).by_group
