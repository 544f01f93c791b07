from sklearn.svm import LinearSVC

default = LinearSVC(C=0.5).fit(X, y)  # expect: ML102
chosen = LinearSVC(dual="auto").fit(X, y)
