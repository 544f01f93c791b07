from sklearn.model_selection import cross_val_score


def validate(estimator, X, y):
    return cross_val_score(estimator, X, y, cv=5, scoring="neg_mean_absolute_error").mean()
