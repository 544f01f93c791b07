from sklearn.neighbors import KNeighborsClassifier

KNeighborsClassifier().fit(X, y)
