from sklearn.linear_model import LogisticRegression

features = ["race", "priors_count", "age_cat"]
model = LogisticRegression().fit(df[features], df["two_year_recid"])
