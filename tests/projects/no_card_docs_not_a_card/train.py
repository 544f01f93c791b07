import pickle

from sklearn.neighbors import KNeighborsRegressor

knn = KNeighborsRegressor(n_neighbors=7).fit(X, y)
with open("knn.pkl", "wb") as out:
    pickle.dump(knn, out)  # expect: ML605
