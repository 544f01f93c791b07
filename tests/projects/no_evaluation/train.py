import joblib
from sklearn.ensemble import RandomForestRegressor

model = RandomForestRegressor(random_state=0)
model.fit(X, y)  # expect: ML306
joblib.dump(model, f"models/{RUN}.joblib")
