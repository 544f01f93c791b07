from sklearn.metrics import roc_auc_score


def evaluate(model, X_test, y_test):
    return roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])  # expect: ML307
