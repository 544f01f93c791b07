from sklearn.linear_model import LinearRegression

from predict import save

regression = LinearRegression().fit(X_train, y_train)  # expect: ML306
save(regression, X_submit, "submission.csv")
