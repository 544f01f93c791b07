from sklearn.svm import SVC

from evaluate import report

model = SVC().fit(X_train, y_train)
report(model, X_test, y_test)
