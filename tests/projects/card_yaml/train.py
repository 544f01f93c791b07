import joblib
from sklearn.ensemble import GradientBoostingRegressor

regressor = GradientBoostingRegressor(random_state=0).fit(X, y)
joblib.dump(regressor, "price.joblib")
