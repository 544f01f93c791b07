from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

for candidate in (LogisticRegression(max_iter=500), RandomForestClassifier(random_state=0)):
    candidate.fit(X_train, y_train)
    print(type(candidate).__name__, accuracy_score(y_test, candidate.predict(X_test)))
