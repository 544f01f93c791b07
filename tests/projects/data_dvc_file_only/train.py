import pandas as pd
from sklearn.linear_model import Lasso

df = pd.read_csv("data/train.csv")
Lasso(alpha=0.1).fit(df[FEATURES], df["y"])
