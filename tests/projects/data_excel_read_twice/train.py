import pandas as pd
from sklearn.tree import DecisionTreeRegressor

train = pd.read_excel("data/2023.xlsx")  # expect: ML606
extra = pd.read_excel("data/2024.xlsx")
DecisionTreeRegressor(random_state=0).fit(pd.concat([train, extra])[FEATURES], pd.concat([train, extra])["y"])
