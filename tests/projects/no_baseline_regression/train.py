from sklearn.linear_model import Ridge

from metrics import summary

ridge = Ridge(alpha=0.5).fit(X_train, y_train)
print(summary(y_test, ridge.predict(X_test)))
