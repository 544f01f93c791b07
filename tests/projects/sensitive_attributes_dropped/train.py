from sklearn.ensemble import RandomForestRegressor

X = df.drop(columns=["sex", "race", "salary"])
RandomForestRegressor(random_state=0).fit(X, df["salary"])
