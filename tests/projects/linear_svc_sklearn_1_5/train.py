from sklearn.svm import LinearSVC

default = LinearSVC(C=0.5).fit(X, y)  # dual="auto": the deterministic primal solver
dual = LinearSVC(dual=True).fit(X, y)  # expect: ML102
