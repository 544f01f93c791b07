import json

from sklearn.metrics import f1_score


def save_scores(y_true, y_pred, path):
    with open(path, "w") as out:
        json.dump({"f1": f1_score(y_true, y_pred)}, out)
