from sklearn.metrics import classification_report


def report(model, X_test, y_test):
    print(classification_report(y_test, model.predict(X_test)))
