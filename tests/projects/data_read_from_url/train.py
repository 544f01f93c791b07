import pandas as pd
from sklearn.linear_model import LogisticRegression

titanic = pd.read_csv("https://raw.githubusercontent.com/datasciencedojo/datasets/master/titanic.csv")
LogisticRegression().fit(titanic[["Pclass", "Fare"]], titanic["Survived"])
