from sklearn.linear_model import RidgeCV

RidgeCV(alphas=[0.1, 1.0, 10.0]).fit(X, y)
