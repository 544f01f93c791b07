from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

forest = RandomForestClassifier(n_estimators=300, random_state=0)
scores = cross_val_score(forest, X, y, cv=5, scoring="roc_auc")  # expect: ML307
forest.fit(X, y)
