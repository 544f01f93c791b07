from sklearn.svm import SVC

model = SVC().fit(X_train, y_train)
