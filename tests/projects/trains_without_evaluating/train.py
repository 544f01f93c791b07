import joblib
from sklearn.naive_bayes import GaussianNB

joblib.dump(GaussianNB().fit(X, y), "nb.joblib")
