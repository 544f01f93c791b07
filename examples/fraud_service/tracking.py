"""Experiment tracking for every training run of the project (MLflow)."""

import mlflow

EXPERIMENT = "fraud-detection"


def start_run(name: str):
    mlflow.set_experiment(EXPERIMENT)
    return mlflow.start_run(run_name=name)


def log_results(params: dict, metrics: dict) -> None:
    mlflow.log_params(params)
    mlflow.log_metrics(metrics)
