from sklearn.ensemble import GradientBoostingClassifier

features = ["income", "sex", "debt", "nationality"]  # expect: ML603, ML603
booster = GradientBoostingClassifier(random_state=0).fit(train[features], train["default"])
