import numpy as np
from sklearn.metrics import accuracy_score


def compare(model, X_test, y_train, y_test):
    majority = np.bincount(y_train).argmax()
    print("majority class", accuracy_score(y_test, np.full_like(y_test, majority)))
    print("model", accuracy_score(y_test, model.predict(X_test)))
