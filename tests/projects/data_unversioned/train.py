import pandas as pd
from sklearn.linear_model import LinearRegression

remote = pd.read_csv("https://example.org/prices.csv")
df = pd.read_csv("data/train.csv")  # expect: ML606
LinearRegression().fit(df[["x"]], df["y"])
