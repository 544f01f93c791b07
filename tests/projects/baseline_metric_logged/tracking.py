import mlflow


def log_reference(value):
    mlflow.log_metric("baseline_auc", value)
