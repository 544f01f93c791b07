from sklearn.ensemble import RandomForestClassifier

from tune import tune

forest = RandomForestClassifier(random_state=0, **tune(X, y)).fit(X, y)
