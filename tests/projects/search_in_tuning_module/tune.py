from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV


def tune(X, y):
    search = GridSearchCV(RandomForestClassifier(random_state=0), {"max_depth": [3, 5, None]}, cv=5)
    return search.fit(X, y).best_params_
