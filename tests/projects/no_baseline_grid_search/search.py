from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

search = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "gamma": ["scale", 0.01]}, cv=5)  # expect: ML307
search.fit(X_train, y_train)
print(search.best_score_)
