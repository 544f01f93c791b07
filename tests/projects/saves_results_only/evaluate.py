import pickle

from sklearn.metrics import f1_score

results = {"f1": f1_score(y_test, predictions)}
with open("results.pkl", "wb") as fh:
    pickle.dump(results, fh)
