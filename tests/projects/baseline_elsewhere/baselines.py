from sklearn.dummy import DummyClassifier
from sklearn.metrics import roc_auc_score

dummy = DummyClassifier(strategy="prior").fit(X_train, y_train)
print(roc_auc_score(y_test, dummy.predict_proba(X_test)[:, 1]))
