from sklearn.ensemble import GradientBoostingClassifier

model = GradientBoostingClassifier(random_state=0).fit(X_train, y_train)
