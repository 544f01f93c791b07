from sklearn.tree import DecisionTreeClassifier

from evaluate import compare

tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X_train, y_train)
compare(tree, X_test, y_train, y_test)
