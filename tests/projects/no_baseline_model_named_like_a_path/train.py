from lightgbm import LGBMClassifier
from sklearn.metrics import log_loss

ranker = LGBMClassifier(random_state=0).fit(X_train, y_train)
print(log_loss(y_valid, ranker.predict_proba(X_valid)))  # expect: ML307
