from sklearn.dummy import DummyRegressor
from sklearn.metrics import mean_absolute_error


def mean_prediction_error(X_train, y_train, X_test, y_test):
    mean = DummyRegressor(strategy="mean").fit(X_train, y_train)
    return mean_absolute_error(y_test, mean.predict(X_test))
