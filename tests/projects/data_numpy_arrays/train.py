import numpy as np
from sklearn.linear_model import SGDClassifier

X = np.load("data/features.npy")  # expect: ML606
y = np.load("data/labels.npy")
SGDClassifier(random_state=0).fit(X, y)
