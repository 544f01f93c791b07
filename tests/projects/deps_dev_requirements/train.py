import xgboost
