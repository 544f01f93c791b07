import numpy as np
from sklearn.naive_bayes import MultinomialNB

table = np.loadtxt("data/counts.tsv", delimiter="\t")  # expect: ML606
MultinomialNB().fit(table[:, :-1], table[:, -1])
