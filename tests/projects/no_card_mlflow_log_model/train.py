import mlflow
from sklearn.ensemble import RandomForestRegressor

with mlflow.start_run():
    forest = RandomForestRegressor(random_state=0).fit(X, y)
    mlflow.sklearn.log_model(forest, "model")  # expect: ML605
