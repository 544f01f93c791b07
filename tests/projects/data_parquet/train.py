import pandas as pd
from lightgbm import LGBMRegressor

sales = pd.read_parquet("data/sales.parquet")  # expect: ML606
LGBMRegressor(random_state=0).fit(sales[FEATURES], sales["units"])
