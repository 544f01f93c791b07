import pandas as pd
from catboost import CatBoostClassifier

df = pd.read_parquet("data/events.parquet")
CatBoostClassifier(verbose=0, random_seed=0).fit(df[FEATURES], df["clicked"])
