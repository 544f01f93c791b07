import pandas as pd
from sklearn.linear_model import LinearRegression

df = pd.read_parquet("data/train.parquet")
LinearRegression().fit(df[["x"]], df["y"])
