from sklearn.metrics import mean_absolute_error, r2_score


def summary(y_true, y_pred):
    return {"mae": mean_absolute_error(y_true, y_pred), "r2": r2_score(y_true, y_pred)}  # expect: ML307
