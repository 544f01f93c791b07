import mlflow


def start(name):
    mlflow.set_experiment(name)
    return mlflow.start_run()
