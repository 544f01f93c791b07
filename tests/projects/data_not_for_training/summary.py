import pandas as pd

print(pd.read_csv("data/sales.csv").describe())
