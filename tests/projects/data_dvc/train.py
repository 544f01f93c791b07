import pandas as pd
from sklearn.linear_model import LinearRegression

df = pd.read_csv("data/train.csv")
LinearRegression().fit(df[["x"]], df["y"])
