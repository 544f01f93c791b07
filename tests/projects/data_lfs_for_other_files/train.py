import pandas as pd
from sklearn.ensemble import RandomForestClassifier

df = pd.read_csv("data/train.csv")  # expect: ML606
RandomForestClassifier(random_state=0).fit(df.drop(columns="label"), df["label"])
