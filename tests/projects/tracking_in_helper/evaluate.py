from sklearn.metrics import f1_score


def report(model, X_test, y_test):
    return f1_score(y_test, model.predict(X_test))
