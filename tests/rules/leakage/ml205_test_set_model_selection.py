# rules: ML205
# case: k of a neighbours model chosen by its test score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
scores = {}
for k in range(1, 30):
    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
    scores[k] = knn.score(X_test, y_test)  # expect: ML205
best_k = max(scores, key=scores.get)

# case: models compared by a test metric
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
models = {"lr": LogisticRegression(), "rf": RandomForestClassifier(random_state=0)}
results = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, model.predict(X_test))  # expect: ML205
best_name = max(results, key=results.get)

# case: a comprehension over regularisation strengths
from sklearn.model_selection import train_test_split
import numpy as np
from sklearn.linear_model import Ridge
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
results = [Ridge(alpha=a).fit(X_train, y_train).score(X_test, y_test) for a in (0.1, 1.0, 10.0)]  # expect: ML205
best_alpha = (0.1, 1.0, 10.0)[np.argmax(results)]

# case: a depth search in a while loop
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor
from sklearn.metrics import mean_squared_error
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
depth, best_error, best_depth = 1, float("inf"), None
while depth < 12:
    tree = DecisionTreeRegressor(max_depth=depth, random_state=0)
    tree.fit(X_train, y_train)
    error = mean_squared_error(y_test, tree.predict(X_test))  # expect: ML205
    if error < best_error:
        best_error, best_depth = error, depth
    depth += 1

# case: set_params in the loop, the test side of a split by hand
from sklearn.svm import SVC
svc = SVC()
X_train, X_test, y_train, y_test = X[:800], X[800:], y[:800], y[800:]
best_c, best = None, 0
for c in [0.01, 0.1, 1, 10]:
    svc = svc.set_params(C=c)
    svc.fit(X_train, y_train)
    if svc.score(X_test, y_test) > best:  # expect: ML205
        best_c = c

# case: keras units chosen on the test arrays
from sklearn.model_selection import train_test_split
import numpy as np
from tensorflow import keras
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
losses = []
for units in (16, 32, 64):
    net = keras.Sequential([keras.layers.Dense(units), keras.layers.Dense(1)])
    net.compile(optimizer="adam", loss="mse")
    net.fit(X_train, y_train, epochs=5)
    losses.append(net.evaluate(X_test, y_test))  # expect: ML205
best_units = (16, 32, 64)[np.argmin(losses)]

# case: inside a function
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import f1_score
def tune(features, labels):
    f_train, f_test, l_train, l_test = train_test_split(features, labels, random_state=0)
    best = 0
    for n in (50, 100, 200):
        gb = GradientBoostingClassifier(n_estimators=n, random_state=0).fit(f_train, l_train)
        best = max(best, f1_score(l_test, gb.predict(f_test)))  # expect: ML205
    return best

# case: one finding per loop
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Lasso
from sklearn.metrics import r2_score, mean_absolute_error
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
scores = pd.DataFrame(columns=["r2", "mae"])
for alpha in (0.01, 0.1, 1.0):
    lasso = Lasso(alpha=alpha).fit(X_train, y_train)
    pred = lasso.predict(X_test)
    scores.loc[alpha, "r2"] = r2_score(y_test, pred)  # expect: ML205
    scores.loc[alpha, "mae"] = mean_absolute_error(y_test, pred)
best_alpha = scores["r2"].astype(float).idxmax()

# case: a validation split used for selection and the test used once
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_fit, X_check, y_fit, y_check = train_test_split(X_train, y_train, random_state=0)
best_k = max(range(1, 30), key=lambda k: 0)
for k in range(1, 30):
    knn = KNeighborsClassifier(k).fit(X_fit, y_fit)
    print(k, knn.score(X_check, y_check))
final = KNeighborsClassifier(best_k).fit(X_train, y_train)
print(final.score(X_test, y_test))

# case: a validation set named so
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
for depth in range(1, 10):
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
    print(depth, tree.score(X_val, y_val))

# case: cross-validation folds in the loop
from sklearn.model_selection import KFold
from sklearn.linear_model import Ridge
for tr, te in KFold(5).split(X):
    ridge = Ridge().fit(X[tr], y[tr])
    print(ridge.score(X[te], y[te]))

# case: final model and baseline compared once, outside a loop
from sklearn.model_selection import train_test_split
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
baseline = DummyClassifier().fit(X_train, y_train)
forest = RandomForestClassifier(random_state=0).fit(X_train, y_train)
print(baseline.score(X_test, y_test), forest.score(X_test, y_test))

# case: a learning curve over training sizes
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
for n in (100, 200, 400):
    clf = LogisticRegression().fit(X_train[:n], y_train[:n])
    print(n, clf.score(X_test, y_test))

# case: epochs of one model monitored on held-out data without choosing
from sklearn.model_selection import train_test_split
from sklearn.linear_model import SGDClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
sgd = SGDClassifier(random_state=0)
for epoch in range(10):
    sgd.partial_fit(X_train, y_train, classes=[0, 1])
print(sgd.score(X_test, y_test))

# case: grid search on the training side, test scored once
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.svm import SVC
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}).fit(X_train, y_train)
for params in search.cv_results_["params"]:
    print(params)
print(search.score(X_test, y_test))

# case: scored on the training side in the loop
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
for depth in range(1, 10):
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
    print(depth, tree.score(X_train, y_train))

# case: repeated random splits, each scored on its own test side
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
scores = []
for seed in range(10):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    clf = LogisticRegression().fit(X_train, y_train)
    scores.append(clf.score(X_test, y_test))

# case: test scores of several models printed side by side, none chosen
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
for name, model in {"lr": LogisticRegression(), "rf": RandomForestClassifier(random_state=0)}.items():
    model.fit(X_train, y_train)
    print(name, accuracy_score(y_test, model.predict(X_test)))

# case: the training data converted by a call, candidates chosen on the test side
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
accuracies = []
for gamma in (0.01, 0.1, 1.0):
    svc = SVC(gamma=gamma).fit(np.asarray(X_train), y_train)
    accuracies.append(svc.score(np.asarray(X_test), y_test))  # expect: ML205
best_gamma = (0.01, 0.1, 1.0)[int(np.argmax(accuracies))]
