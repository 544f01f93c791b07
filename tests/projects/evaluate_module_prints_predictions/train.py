from sklearn.neighbors import KNeighborsClassifier

from evaluate import show

knn = KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train)  # expect: ML306
show(knn, X_new)
