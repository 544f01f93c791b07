# rules: ML202
# case: scaler refitted on the test side
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test, y_train, y_test = train_test_split(X, y)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)  # expect: ML202

# case: a model trained on the test side
from sklearn.model_selection import train_test_split as tts
from sklearn.ensemble import RandomForestClassifier
X_train, X_test, y_train, y_test = tts(X, y, random_state=0)
RandomForestClassifier(random_state=0).fit(X_test, y_test)  # expect: ML202 (no fix)

# case: a name derived from the test side
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.impute import SimpleImputer
X_train, X_test, y_train, y_test = train_test_split(X, y)
test_features = X_test.fillna(0)[["a", "b"]]
SimpleImputer().fit(test_features)  # expect: ML202 (no fix)

# case: the 4th output of a split of two arrays
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
a_tr, a_te, b_tr, b_te = train_test_split(a, b)
MinMaxScaler().fit(b_te)  # expect: ML202 (no fix)

# case: a sampler resampling the test side
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
X_train, X_val, y_train, y_val = train_test_split(X, y, stratify=y)
X_val, y_val = SMOTE().fit_resample(X_val, y_val)  # expect: ML202 (no fix)

# case: the test side imputed with its own statistic
import pandas as pd
from sklearn.model_selection import train_test_split
train, test = train_test_split(pd.read_csv("data.csv"))
test["age"] = test["age"].fillna(test["age"].mean())  # expect: ML202 (no fix)

# case: refitted on a separately loaded test file that is then predicted
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
scaler = StandardScaler()
X_tr = scaler.fit_transform(train[["a", "b"]])
model = LogisticRegression().fit(X_tr, train["label"])
X_te = scaler.fit_transform(test[["a", "b"]])  # expect: ML202
predictions = model.predict(X_te)

# case: fitted on the test indices of a CV loop
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
for tr, te in StratifiedKFold(5).split(X, y):
    sc = StandardScaler().fit(X[te])  # expect: ML202 (no fix)

# case: inside a function, the validation side
from sklearn.model_selection import train_test_split
from sklearn.decomposition import PCA
def evaluate(X, y):
    X_tr, X_val, y_tr, y_val = train_test_split(X, y)
    pca = PCA(4).fit(X_tr)
    val_components = PCA(4).fit_transform(X_val)  # expect: ML202 (no fix)
    return val_components

# case: the evaluated side of a split by hand
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
X_train, X_test = X[:800], X[800:]
y_train, y_test = y[:800], y[800:]
scaler = StandardScaler()
model = Ridge().fit(scaler.fit_transform(X_train), y_train)
print(model.score(scaler.fit_transform(X_test), y_test))  # expect: ML202

# case: a test statistic applied by hand with .loc
import pandas as pd
from sklearn.model_selection import train_test_split
df_train, df_test = train_test_split(pd.read_csv("x.csv"))
df_test.loc[df_test.age.isna(), "age"] = df_test.age.median()  # expect: ML202 (no fix)

# case: NEGATIVE the test side transformed with the training fit
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test, y_train, y_test = train_test_split(X, y)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)

# case: NEGATIVE a calibrator is meant to be fitted on held-out data
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC
X_train, X_valid, y_train, y_valid = train_test_split(X, y)
clf = LinearSVC().fit(X_train, y_train)
CalibratedClassifierCV(clf, cv="prefit").fit(X_valid, y_valid)

# case: NEGATIVE a training set split into two training halves
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomTreesEmbedding
from sklearn.linear_model import LogisticRegression
X_train, X_test, y_train, y_test = train_test_split(X, y)
X_train_a, X_train_b, y_train_a, y_train_b = train_test_split(X_train, y_train)
LogisticRegression().fit(X_train_b, y_train_b)

# case: NEGATIVE test side imputed with the training statistic
import pandas as pd
from sklearn.model_selection import train_test_split
X_train, X_test = train_test_split(pd.read_csv("data.csv"))
X_test = X_test.fillna(X_train.mean())

# case: NEGATIVE the test side split again: its first part is a new training side
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
X_train, X_rest, y_train, y_rest = train_test_split(X, y)
X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest)
LogisticRegression().fit(X_val, y_val)

# case: NEGATIVE one call refitted per fold in a loop (same fit, new fold)
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
sc = StandardScaler()
model = SVC()
for tr, te in KFold(3).split(X):
    model.fit(sc.fit_transform(X[tr]), y[tr])
    model.score(sc.transform(X[te]), y[te])

# case: NEGATIVE stateless transformers fitted on the test side
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import PolynomialFeatures
X_train, X_test = train_test_split(X)
X_test = PolynomialFeatures(2).fit_transform(X_test)

# case: NEGATIVE an unresolved model fitted on the test side is not judged
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y)
model = build_model()
model.fit(X_test, y_test)

# case: NEGATIVE refitted on the same training data
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
X_train, X_test, y_train, y_test = train_test_split(X, y)
sc = StandardScaler()
model = LogisticRegression().fit(sc.fit_transform(X_train), y_train)
model = LogisticRegression().fit(sc.fit_transform(X_train), y_train)
model.predict(sc.transform(X_test))

# case: NEGATIVE the test name rebound to other data
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test = train_test_split(X)
X_test = load_unlabelled_pool()
StandardScaler().fit(X_test)

# case: NEGATIVE slices that are never trained and evaluated (no split)
from sklearn.preprocessing import StandardScaler
first, second = X[:500], X[500:]
StandardScaler().fit(second)

# case: NEGATIVE a refit on new data that the model is then refitted on too
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
sc = StandardScaler()
model = LogisticRegression()
model.fit(sc.fit_transform(pd.read_csv("a.csv")), y_a)
X_b = sc.fit_transform(pd.read_csv("b.csv"))
model.fit(X_b, y_b)
model.predict(X_b)

# case: NEGATIVE two-fold cross-validation by hand: the halves swap roles
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import accuracy_score
model = KNeighborsClassifier(n_neighbors=1)
X1, X2, y1, y2 = train_test_split(X, y, random_state=0, train_size=0.5)
y2_model = model.fit(X1, y1).predict(X2)
y1_model = model.fit(X2, y2).predict(X1)
print(accuracy_score(y1, y1_model), accuracy_score(y2, y2_model))

# case: a model fitted on the test side that predicts the test side again
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
X1, X2, y1, y2 = train_test_split(X, y, random_state=0, train_size=0.5)
model = KNeighborsClassifier(n_neighbors=1)
model.fit(X1, y1)
model.fit(X2, y2)  # expect: ML202 (no fix)
score = model.score(X2, y2)

# case: NEGATIVE a stateless transformer refitted on a plotting grid
import numpy as np
from sklearn.preprocessing import PolynomialFeatures
from sklearn.linear_model import LinearRegression
quadratic = PolynomialFeatures(degree=2)
X_quad = quadratic.fit_transform(X)
regr = LinearRegression().fit(X_quad, y)
X_fit = np.arange(250, 600, 10)[:, np.newaxis]
y_quad_fit = regr.predict(quadratic.fit_transform(X_fit))

# case: fix: transform with the training fit
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)  # expect: ML202
# fixed:
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)

# case: fix: a refit on a separate test file
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
train, test = pd.read_csv("train.csv"), pd.read_csv("test.csv")
scaler = StandardScaler()
model = LogisticRegression().fit(scaler.fit_transform(train[["a"]]), train["y"])
model.predict(scaler.fit_transform(test[["a"]]))  # expect: ML202
# fixed:
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
train, test = pd.read_csv("train.csv"), pd.read_csv("test.csv")
scaler = StandardScaler()
model = LogisticRegression().fit(scaler.fit_transform(train[["a"]]), train["y"])
model.predict(scaler.transform(test[["a"]]))

# case: no fix: the transformer was never fitted
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test = train_test_split(X)
X_test = StandardScaler().fit_transform(X_test)  # expect: ML202 (no fix)

# case: t-SNE of the validation data, to plot it
from sklearn.manifold import TSNE
from sklearn.model_selection import train_test_split
X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
emb = TSNE(n_components=2, random_state=0).fit_transform(X_val)
emb = (emb - emb.min(0)) / (emb.max(0) - emb.min(0))
plt.scatter(emb[:, 0], emb[:, 1], c=y_val)

# case: PCA fitted on the test side is still a finding
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
coords = PCA(n_components=2).fit_transform(X_test)  # expect: ML202 (no fix)

# case: min-max scaling of test features with their own range
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_test = (X_test - X_test.min()) / (X_test.max() - X_test.min())  # expect: ML202 (no fix)

# case: standardising an embedding with its own mean is not just a rescale
from sklearn.manifold import TSNE
from sklearn.model_selection import train_test_split
X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
emb = TSNE(n_components=2, random_state=0).fit_transform(X_val)
emb = (emb - emb.mean(0)) / (emb.max(0) - emb.min(0))  # expect: ML202 (no fix)

# case: one expression with several test-side statistics, reported once
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_test = (X_test - X_test.mean()) / X_test.std()  # expect: ML202 (no fix)

# case: a final fit on the training part of a hand split, after a fold loop predicting its slices
import numpy as np
import pandas as pd
from sklearn.model_selection import KFold
from sklearn.linear_model import Ridge
train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
n_train = train.shape[0]
y = train["target"]
full = pd.concat([train.drop(columns=["target"]), test])
X = full.iloc[:n_train]
X_test = full.iloc[n_train:]
oof = np.zeros(n_train)
model = Ridge()
for tr, va in KFold(5).split(X):
    model.fit(X.iloc[tr], y.iloc[tr])
    oof[va] = model.predict(X.iloc[va])
model.fit(X, y)
prediction = model.predict(X_test)
