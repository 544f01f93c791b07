from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import roc_auc_score

from tracking import log_reference

trees = ExtraTreesClassifier(random_state=0).fit(X_train, y_train)
print(roc_auc_score(y_test, trees.predict_proba(X_test)[:, 1]))
log_reference(roc_auc_score(y_test, previous_scores))
