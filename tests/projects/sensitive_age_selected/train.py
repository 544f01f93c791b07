import pandas as pd
from sklearn.ensemble import RandomForestClassifier

from data import load

df = load()
X = df[["age", "income", "tenure"]]  # expect: ML603
forest = RandomForestClassifier(random_state=0).fit(X, df["churned"])
