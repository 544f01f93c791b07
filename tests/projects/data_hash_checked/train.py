import pandas as pd
from sklearn.svm import SVR

from checksum import verify

verify("data/train.csv")
df = pd.read_csv("data/train.csv")
SVR().fit(df[FEATURES], df["y"])
