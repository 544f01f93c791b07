import pandas as pd
from sklearn.ensemble import RandomForestRegressor

from config import DATA_PATH

df = pd.read_csv(DATA_PATH)
RandomForestRegressor(random_state=0).fit(df[FEATURES], df["target"])
