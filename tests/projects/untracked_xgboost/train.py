import xgboost as xgb

from features import make_features

booster = xgb.XGBClassifier(n_estimators=200, random_state=0)
booster.fit(make_features(train_frame), train_frame["label"])  # expect: ML601, ML306
predictions = booster.predict(make_features(new_frame))
predictions.tofile("predictions.bin")
