from sklearn.svm import LinearSVC

default = LinearSVC(C=0.5).fit(X, y)  # expect: ML102
