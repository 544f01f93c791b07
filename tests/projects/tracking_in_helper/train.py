from sklearn.linear_model import LogisticRegression

from tracking import start

with start("churn"):
    model = LogisticRegression(max_iter=200).fit(X_train, y_train)
