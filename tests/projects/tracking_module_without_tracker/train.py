from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score

from tracking import record

forest = RandomForestClassifier(random_state=0).fit(X_train, y_train)  # expect: ML601
record("forest", {"accuracy": accuracy_score(y_test, forest.predict(X_test))})
