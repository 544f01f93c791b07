from sklearn.svm import SVC
from sklearn.metrics import accuracy_score

clf = SVC().fit(X_train, y_train)  # expect: ML601
print(accuracy_score(y_test, clf.predict(X_test)))
