# rules: ML208
# case: fitted on all rows, then scored on the test side
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(random_state=0)
model.fit(X, y)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
print(model.score(X_test, y_test))  # expect: ML208

# case: split first, but the model is fitted on the full data
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
clf = LogisticRegression().fit(X, y)
pred = clf.predict(X_test)  # expect: ML208
print(accuracy_score(y_test, pred))

# case: a frame read from a file, predicted on its test rows
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor
df = pd.read_csv("houses.csv")
X = df.drop(columns=["price"])
y = df["price"]
tree = DecisionTreeRegressor(random_state=0)
tree.fit(X, y)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=1)
errors = tree.predict(X_te) - y_te  # expect: ML208

# case: a search fitted on everything, scored on the test side
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.svm import SVC
search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]})
search.fit(X, y)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
print(search.score(X_test, y_test))  # expect: ML208

# case: a training set and test set put back together before the fit
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_all = np.vstack([X_train, X_test])
y_all = np.concatenate([y_train, y_test])
ridge = Ridge().fit(X_all, y_all)
print(ridge.score(X_test, y_test))  # expect: ML208

# case: xgboost model fitted on all rows, probabilities on the test side
import xgboost as xgb
from sklearn.model_selection import train_test_split
booster = xgb.XGBClassifier(random_state=0)
booster.fit(X, y)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
proba = booster.predict_proba(X_test)  # expect: ML208

# case: inside a function
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
def run(features, labels):
    knn = KNeighborsClassifier(5)
    knn.fit(features, labels)
    f_train, f_test, l_train, l_test = train_test_split(features, labels, random_state=0)
    return knn.score(f_test, l_test)  # expect: ML208

# case: the test side of a column taken from the frame
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
data = pd.read_csv("d.csv")
train, test = train_test_split(data, random_state=0)
gbr = GradientBoostingRegressor(random_state=0)
gbr.fit(data[["a", "b"]], data["y"])
print(gbr.score(test[["a", "b"]], test["y"]))  # expect: ML208

# case: fitted on the training side, scored on the test side
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = RandomForestClassifier(random_state=0).fit(X_train, y_train)
print(model.score(X_test, y_test))

# case: evaluated first, then refitted on all data for production
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
clf = LogisticRegression().fit(X_train, y_train)
print(clf.score(X_test, y_test))
clf.fit(X, y)
future = clf.predict(X_new)

# case: refitted on the full data, then used on new data only
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
rf = RandomForestRegressor(random_state=0).fit(X_train, y_train)
print(rf.score(X_test, y_test))
rf.fit(X, y)
submission = rf.predict(pd.read_csv("test.csv"))

# case: cross-validation by hand over folds
from sklearn.model_selection import KFold
from sklearn.linear_model import Ridge
ridge = Ridge()
for tr, te in KFold(5).split(X):
    ridge.fit(X[tr], y[tr])
    print(ridge.score(X[te], y[te]))

# case: fitted on the test side alone (ML202's finding, not an overlap)
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
lr = LinearRegression().fit(X_test, y_test)
print(lr.score(X_test, y_test))

# case: an unsupervised transformer fitted on everything
from sklearn.model_selection import train_test_split
from sklearn.decomposition import PCA
pca = PCA(2).fit(X)
X_train, X_test = train_test_split(X, random_state=0)
print(pca.transform(X_test))

# case: two different models, one fitted on all data, the other evaluated
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
full_model = LogisticRegression().fit(X, y)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
held_out_model = LogisticRegression().fit(X_train, y_train)
print(held_out_model.score(X_test, y_test))

# case: a model of a separate data set scored on another split
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
svc = SVC().fit(X_other, y_other)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
print(svc.score(X_test, y_test))

# case: a training split divided again, model fitted on the training part
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, random_state=0)
et = ExtraTreesClassifier(random_state=0).fit(X_fit, y_fit)
print(et.score(X_val, y_val))
print(et.score(X_test, y_test))

# case: a middle slice calibrates, the last slice is the test
from sklearn.ensemble import RandomForestClassifier
from sklearn.calibration import CalibratedClassifierCV
X_train, y_train = X[:600], y[:600]
X_valid, y_valid = X[600:1000], y[600:1000]
X_test, y_test = X[1000:], y[1000:]
clf = RandomForestClassifier(random_state=0).fit(X_train, y_train)
cal = CalibratedClassifierCV(clf, cv="prefit").fit(X_valid, y_valid)
print(cal.predict_proba(X_test), clf.predict_proba(X_test))
