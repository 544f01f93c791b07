from sklearn.ensemble import RandomForestClassifier

X = df[["stage", "usage", "message_length", "page_views", "raced_before"]]
RandomForestClassifier(random_state=0).fit(X, df["converted"])
