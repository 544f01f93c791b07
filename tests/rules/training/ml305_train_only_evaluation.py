# rules: ML305
# case: scored on the data it was fitted on
from sklearn.tree import DecisionTreeClassifier
model = DecisionTreeClassifier(random_state=0)
model.fit(X, y)
print(model.score(X, y))  # expect: ML305

# case: a metric of the predictions on the training data
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
df = pd.read_csv("sales.csv")
X = df[["price", "promo"]]
y = df["units"]
reg = LinearRegression().fit(X, y)
pred = reg.predict(X)
print(mean_squared_error(y, pred))  # expect: ML305

# case: keras model evaluated on its training arrays
from tensorflow import keras
net = keras.Sequential([keras.layers.Dense(1)])
net.compile(optimizer="adam", loss="mse")
net.fit(X, y, epochs=10)
loss = net.evaluate(X, y)  # expect: ML305

# case: a dataset loader, fitted and scored on all of it
from sklearn.datasets import load_iris
from sklearn.svm import SVC
from sklearn.metrics import accuracy_score
X, y = load_iris(return_X_y=True)
svc = SVC().fit(X, y)
print(accuracy_score(y, svc.predict(X)))  # expect: ML305

# case: a training frame of a separate file, scored on itself
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
train = pd.read_csv("train.csv")
features = train.drop(columns=["label"])
rf = RandomForestClassifier(random_state=0)
rf.fit(features, train["label"])
print("train accuracy", rf.score(features, train["label"]))  # expect: ML305

# case: a report of the fit on the training data
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
clf = LogisticRegression()
clf.fit(X, y)
print(classification_report(y, clf.predict(X)))  # expect: ML305

# case: inside a function
from sklearn.neighbors import KNeighborsRegressor
from sklearn.metrics import r2_score
def fit_and_report(features, target):
    knn = KNeighborsRegressor(3).fit(features, target)
    return r2_score(target, knn.predict(features))  # expect: ML305

# case: only the first training score is reported
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
ridge = Ridge().fit(X, y)
print(ridge.score(X, y))  # expect: ML305
print(mean_absolute_error(y, ridge.predict(X)))

# case: scored on train AND test to show overfitting
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
print(tree.score(X_train, y_train), tree.score(X_test, y_test))

# case: cross_val_score on the training set
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import LogisticRegression
clf = LogisticRegression()
print(cross_val_score(clf, X, y, cv=5).mean())
clf.fit(X, y)
print(clf.score(X, y))

# case: a separately loaded test file is scored
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
rf = RandomForestRegressor(random_state=0).fit(train[["a"]], train["y"])
print(rf.score(train[["a"]], train["y"]))
print(rf.score(test[["a"]], test["y"]))

# case: keras with validation data
from tensorflow import keras
net = keras.Sequential([keras.layers.Dense(1)])
net.compile(optimizer="adam", loss="mse")
net.fit(X, y, validation_data=(X_val, y_val))
print(net.evaluate(X, y))

# case: an estimator with built-in cross-validation
from sklearn.linear_model import RidgeCV
ridge = RidgeCV(alphas=[0.1, 1.0, 10.0]).fit(X, y)
print(ridge.score(X, y))

# case: a clustering scored by silhouette on its own data
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
km = KMeans(3, random_state=0).fit(X)
print(silhouette_score(X, km.labels_))

# case: out-of-bag score of a forest
from sklearn.ensemble import RandomForestClassifier
forest = RandomForestClassifier(oob_score=True, random_state=0).fit(X, y)
print(forest.score(X, y), forest.oob_score_)

# case: fitted and only predicted, never scored
from sklearn.linear_model import LinearRegression
lin = LinearRegression().fit(X, y)
fitted_values = lin.predict(X)

# case: a split by hand, train and test scored
from sklearn.linear_model import Lasso
model = Lasso().fit(X[:800], y[:800])
print(model.score(X[:800], y[:800]))
print(model.score(X[800:], y[800:]))
