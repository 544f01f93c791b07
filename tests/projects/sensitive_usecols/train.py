import pandas as pd
from sklearn.svm import SVC

frame = pd.read_csv(DATA, usecols=["ethnicity", "score", "hired"])  # expect: ML603
svm = SVC().fit(frame[["ethnicity", "score"]], frame["hired"])
