from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

X, y = load_iris(return_X_y=True)
DecisionTreeClassifier(random_state=0).fit(X, y)
