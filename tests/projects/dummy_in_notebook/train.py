from sklearn.svm import LinearSVC
from sklearn.metrics import balanced_accuracy_score

svm = LinearSVC(dual=False).fit(X_train, y_train)
print(balanced_accuracy_score(y_test, svm.predict(X_test)))
