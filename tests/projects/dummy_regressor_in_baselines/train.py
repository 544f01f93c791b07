from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

model = HistGradientBoostingRegressor(random_state=0).fit(X_train, y_train)
print(mean_absolute_error(y_test, model.predict(X_test)))
