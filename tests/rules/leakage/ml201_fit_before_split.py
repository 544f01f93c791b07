# rules: ML201
# case: scaler fitted on all rows, then split
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  # expect: ML201
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)

# case: aliased class import
from sklearn.model_selection import train_test_split as tts
from sklearn.preprocessing import MinMaxScaler as MMS
X = MMS().fit_transform(X)  # expect: ML201
a, b, c, d = tts(X, y)

# case: module alias and intermediate variables
import sklearn.preprocessing as pp
from sklearn import model_selection
Xs = pp.RobustScaler().fit_transform(X)  # expect: ML201 (no fix)
features = Xs
same = features
parts = model_selection.train_test_split(same, y)

# case: from-package import, fit then transform
from sklearn import preprocessing
from sklearn.model_selection import train_test_split
imp = preprocessing.QuantileTransformer()
imp.fit(X)  # expect: ML201 (no fix)
X_q = imp.transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_q, y)

# case: fitted on all rows, split, then its transform of the training side is trained on
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
pca = PCA(n_components=5).fit(X)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(X, y)
model = LogisticRegression().fit(pca.transform(X_train), y_train)
print(model.score(pca.transform(X_test), y_test))

# case: inside a function, through np.hstack and pd.DataFrame
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
def prepare(df, y):
    numeric = SimpleImputer(strategy="median").fit_transform(df[["a", "b"]])  # expect: ML201 (no fix)
    table = pd.DataFrame(np.hstack([numeric, df[["c"]].values]))
    return train_test_split(table, y, test_size=0.2)

# case: pd.concat of the transformed columns, .values and a method chain
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv").fillna(0).drop(columns=["id"])
scaled = pd.DataFrame(StandardScaler().fit_transform(df[["a", "b"]]))  # expect: ML201 (no fix)
full = pd.concat([scaled, df[["c"]]], axis=1).values
X_train, X_test = train_test_split(full)

# case: a KFold loop over the transformed data
from sklearn.model_selection import KFold
from sklearn.decomposition import PCA
from sklearn.linear_model import Ridge
X_p = PCA(n_components=3).fit_transform(X)  # expect: ML201 (no fix)
kf = KFold(n_splits=5)
for tr, te in kf.split(X_p):
    Ridge().fit(X_p[tr], y[tr]).score(X_p[te], y[te])

# case: Kaggle concat of train and test, split back by len(train)
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
full = pd.concat([train, test])
full[["a", "b"]] = StandardScaler().fit_transform(full[["a", "b"]])  # expect: ML201 (no fix)
train_part = full[: len(train)]
test_part = full[len(train):]
model = LogisticRegression().fit(train_part[["a", "b"]], train["target"])
submission = model.predict(test_part[["a", "b"]])

# case: split by hand with a named row count
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
X = StandardScaler().fit_transform(X)  # expect: ML201 (no fix)
n_train = int(0.8 * len(X))
clf = SVC().fit(X[:n_train], y[:n_train])
print(clf.score(X[n_train:], y[n_train:]))

# case: a pipeline that contains a transformer, and a supervised selector
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.model_selection import train_test_split
X_p = make_pipeline(StandardScaler(), PCA()).fit_transform(X)  # expect: ML201 (no fix)
X_k = SelectKBest(f_classif, k=10).fit_transform(X_p, y)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(X_k, y)

# case: frequency-limited one-hot encoder and a target encoder are not exempt
import category_encoders as ce
from sklearn.preprocessing import OneHotEncoder
from sklearn.model_selection import train_test_split
X1 = OneHotEncoder(min_frequency=5).fit_transform(X)  # expect: ML201 (no fix)
X2 = ce.TargetEncoder().fit_transform(X1, y)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(X2, y)

# case: transformed in one branch of an if
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
if normalise:
    X = StandardScaler().fit_transform(X)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(X, y)

# case: rows selected with .iloc by the indices of a split
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
df = pd.read_csv("data.csv")
scaler = StandardScaler().fit(df)  # expect: ML201 (no fix)
train_idx, test_idx = train_test_split(np.arange(len(df)))
model = LinearRegression().fit(scaler.transform(df.iloc[train_idx]), y[train_idx])

# case: NEGATIVE fitted on the training side only
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

# case: NEGATIVE category-only encoders learn no statistic of the rows
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, LabelBinarizer
from sklearn.model_selection import train_test_split
X1 = OneHotEncoder(handle_unknown="ignore").fit_transform(X)
X2 = OrdinalEncoder().fit_transform(X1)
X3 = LabelBinarizer().fit_transform(X2)
X_train, X_test = train_test_split(X3)

# case: NEGATIVE fitting on the target vector alone
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.model_selection import train_test_split
y = LabelEncoder().fit_transform(y)
y_scaled = StandardScaler().fit_transform(y.reshape(-1, 1))
X_train, X_test, y_train, y_test = train_test_split(X, y_scaled)

# case: NEGATIVE a dead transform whose output is never used
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y)

# case: NEGATIVE a pipeline refitted per fold by cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y)
pipe = make_pipeline(StandardScaler(), LogisticRegression())
cross_val_score(pipe, X_train, y_train)
pipe.fit(X_train, y_train).score(X_test, y_test)

# case: NEGATIVE a look-alike StandardScaler from the project
from mytools import StandardScaler
from sklearn.model_selection import train_test_split
X = StandardScaler().fit_transform(X)
X_train, X_test = train_test_split(X)

# case: NEGATIVE fitted on other data; the split data is never transformed by it
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
reference = pd.read_csv("reference.csv")
pca = PCA(2).fit(reference)
X_train, X_test = train_test_split(X)
print(pca.transform(reference))

# case: NEGATIVE stateless transformers learn nothing from the rows
from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, Normalizer
from sklearn.model_selection import train_test_split
import numpy as np
X = FunctionTransformer(np.log1p).fit_transform(X)
X = PolynomialFeatures(2).fit_transform(X)
X = Normalizer().fit_transform(X)
X_train, X_test = train_test_split(X)

# case: NEGATIVE reassignment kills the transformed value
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
X_s = StandardScaler().fit_transform(X)
X_s = load_raw_features()
X_train, X_test = train_test_split(X_s)

# case: NEGATIVE an unresolved call ends the lineage
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
X_s = StandardScaler().fit_transform(X)
X_new = augment_with_external_rows(X_s)
X_train, X_test = train_test_split(X_new)

# case: NEGATIVE slicing that is not a split (no part is trained and the other evaluated)
from sklearn.preprocessing import StandardScaler
X = StandardScaler().fit_transform(X)
preview = X[:100]
rest = X[100:]
print(preview.shape, rest.shape)

# case: NEGATIVE fitted per fold inside the CV loop
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
for tr, te in KFold(5).split(X):
    scaler = StandardScaler().fit(X[tr])
    Ridge().fit(scaler.transform(X[tr]), y[tr]).score(scaler.transform(X[te]), y[te])

# case: NEGATIVE the function only fits; the split happens in another scope
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
def scale(X):
    return StandardScaler().fit_transform(X)
X_train, X_test = train_test_split(X)

# case: fix: the fit moves after the split
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  # expect: ML201
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
print(X_train.shape)
# fixed:
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

scaler = StandardScaler()
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)
print(X_train.shape)

# case: fix: an unnamed transformer gets a name; the split keeps its names
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
def split(X, y):
    X = MinMaxScaler(feature_range=(0, 1)).fit_transform(X)  # expect: ML201
    a_train, a_test, b_train, b_test = train_test_split(X, y)
    return a_train, a_test, b_train, b_test
# fixed:
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
def split(X, y):
    min_max_scaler = MinMaxScaler(feature_range=(0, 1))
    a_train, a_test, b_train, b_test = train_test_split(X, y)
    a_train = min_max_scaler.fit_transform(a_train)
    a_test = min_max_scaler.transform(a_test)
    return a_train, a_test, b_train, b_test

# case: fix: the second array of the split
from sklearn.model_selection import train_test_split
from sklearn.impute import SimpleImputer
imputer = SimpleImputer()
feats = imputer.fit_transform(df[["a", "b"]])  # expect: ML201
ids_tr, ids_te, f_tr, f_te = train_test_split(ids, feats)
# fixed:
from sklearn.model_selection import train_test_split
from sklearn.impute import SimpleImputer
imputer = SimpleImputer()
ids_tr, ids_te, f_tr, f_te = train_test_split(ids, df[["a", "b"]])
f_tr = imputer.fit_transform(f_tr)
f_te = imputer.transform(f_te)

# case: no fix: the transformed variable is used elsewhere
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_scaled = StandardScaler().fit_transform(X)  # expect: ML201 (no fix)
X_train, X_test = train_test_split(X_scaled)
print(X_scaled.mean())

# case: no fix: fit and transform are separate statements
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
scaler = StandardScaler()
scaler.fit(X)  # expect: ML201 (no fix)
X_train, X_test = train_test_split(scaler.transform(X))

# case: no fix: the input is reassigned before the split
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
sc = StandardScaler()
X_s = sc.fit_transform(X)  # expect: ML201 (no fix)
X = load_other()
X_train, X_test = train_test_split(X_s)

# case: no fix: the transformer is used between fit and split
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
sc = StandardScaler()
X_s = sc.fit_transform(X)  # expect: ML201 (no fix)
Z = sc.transform(Z)
X_train, X_test = train_test_split(X_s)

# case: no fix: a CV splitter
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler
X_s = StandardScaler().fit_transform(X)  # expect: ML201 (no fix)
for tr, te in KFold(3).split(X_s):
    pass

# case: notebook: fitted in one cell, split in a later cell
# cell
import pandas as pd
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
# cell
df = pd.read_csv("data.csv")
X = df[["a", "b"]]
y = df["target"]
# cell
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  # expect: ML201 (no fix)
# cell
print(X_scaled.shape)
# cell
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)

# case: NEGATIVE a stateless feature hasher before the split
from sklearn.feature_extraction import FeatureHasher
from sklearn.model_selection import train_test_split
X_h = FeatureHasher(n_features=8).fit_transform(rows)
X_train, X_test = train_test_split(X_h, random_state=0)

# case: a helper scales the frame it is given, applied to all rows before the split
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
def standardise(frame):
    return StandardScaler().fit_transform(frame)
X_all = standardise(X)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(X_all, y)

# case: a helper splits the scaled data it is given
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
def train_and_measure(features, labels):
    xtrain, xtest, ytrain, ytest = train_test_split(features, labels)
    return LogisticRegression().fit(xtrain, ytrain).score(xtest, ytest)
scaled = MinMaxScaler().fit_transform(X)  # expect: ML201 (no fix)
train_and_measure(scaled, y)

# case: a preprocessing class keeps a scaler on self, fitted on every row
from sklearn.preprocessing import RobustScaler
from sklearn.model_selection import train_test_split
class Preprocessor:
    def fit(self, frame):
        self.scaler = RobustScaler().fit(frame)
        return self
    def transform(self, frame):
        return self.scaler.transform(frame)
prep = Preprocessor()
prep.fit(X)  # expect: ML201 (no fix)
X_train, X_test = train_test_split(prep.transform(X))

# case: a local selector class re-splits data scaled on all its rows
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
class BackwardSelection:
    def __init__(self, estimator):
        self.estimator = estimator
    def fit(self, X, y):
        X_a, X_b, y_a, y_b = train_test_split(X, y)
        self.estimator.fit(X_a, y_a)
        self.score_ = self.estimator.score(X_b, y_b)
        return self
X_std = StandardScaler().fit_transform(X_train)  # expect: ML201 (no fix)
BackwardSelection(KNeighborsClassifier()).fit(X_std, y_train)

# case: an old-API StratifiedKFold iterated directly over PCA features
from sklearn.decomposition import PCA
from sklearn.cross_validation import StratifiedKFold
from sklearn.svm import SVC
reduced = PCA(n_components=5).fit_transform(X_train)  # expect: ML201 (no fix)
for train_index, cv_index in StratifiedKFold(y_train, n_folds=4):
    clf = SVC().fit(reduced[train_index], y_train[train_index])
    clf.score(reduced[cv_index], y_train[cv_index])

# case: a Keras Normalization layer adapted to every row before the split
import keras
from keras import layers
from sklearn.model_selection import train_test_split
norm = layers.Normalization()
norm.adapt(X)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(X, y)
net = keras.Sequential([norm, layers.Dense(1)])
net.fit(X_train, y_train)

# case: a Keras Normalization layer adapted to every row, then applied to them before the split
import tensorflow as tf
from sklearn.model_selection import train_test_split
norm = tf.keras.layers.Normalization()
norm.adapt(X)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(norm(X), y)

# case: a function calls another module function that scales every row, then splits
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
def main():
    features = load("data.csv")  # expect: ML201 (no fix)
    X_train, X_test = train_test_split(features, random_state=0)
    return X_train, X_test
def load(path):
    frame = pd.read_csv(path)
    return StandardScaler().fit_transform(frame)
if __name__ == "__main__":
    main()

# case: a preprocessing class fits the scaler its constructor made, on every row
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
class Scaling:
    def __init__(self):
        self.scaler = StandardScaler()
    def fit(self, frame):
        self.scaler.fit(frame)
        return self
    def transform(self, frame):
        return self.scaler.transform(frame)
scaling = Scaling().fit(X)  # expect: ML201 (no fix)
X_train, X_test, y_train, y_test = train_test_split(scaling.transform(X), y)

# case: rows picked by a permutation after scaling everything
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
order = np.random.permutation(len(X))
Z = StandardScaler().fit_transform(X)  # expect: ML201 (no fix)
model = Ridge().fit(Z[order[:800]], y[order[:800]])
model.score(Z[order[800:]], y[order[800:]])

# case: each column scaled by a function given to apply
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
def rescale(column):
    return MinMaxScaler().fit_transform(column)
frame = frame.apply(rescale)  # expect: ML201 (no fix)
parts = train_test_split(frame, target)

# case: a helper scales only the training part
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
def standardise(frame):
    return StandardScaler().fit_transform(frame)
X_train, X_test, y_train, y_test = train_test_split(X, y)
X_train = standardise(X_train)

# case: a preprocessing class fitted on the training split
from sklearn.preprocessing import RobustScaler
from sklearn.model_selection import train_test_split
class Preprocessor:
    def fit(self, frame):
        self.scaler = RobustScaler().fit(frame)
        return self
    def transform(self, frame):
        return self.scaler.transform(frame)
X_train, X_test = train_test_split(X)
prep = Preprocessor().fit(X_train)
train_features, test_features = prep.transform(X_train), prep.transform(X_test)

# case: a helper splits raw data and scales its training side
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
def train_and_measure(features, labels):
    xtrain, xtest, ytrain, ytest = train_test_split(features, labels)
    scaler = MinMaxScaler().fit(xtrain)
    return scaler.transform(xtrain), scaler.transform(xtest)
train_and_measure(X, y)

# case: a selector class given unscaled training data
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
class BackwardSelection:
    def fit(self, X, y):
        X_a, X_b, y_a, y_b = train_test_split(X, y)
        return self
BackwardSelection().fit(X_train, y_train)

# case: an old-API KFold whose scaler is fitted per fold
from sklearn.preprocessing import StandardScaler
from sklearn.cross_validation import KFold
from sklearn.svm import SVC
for train_index, cv_index in KFold(len(X), n_folds=4):
    scaler = StandardScaler().fit(X[train_index])
    clf = SVC().fit(scaler.transform(X[train_index]), y[train_index])
    clf.score(scaler.transform(X[cv_index]), y[cv_index])

# case: a Keras Normalization layer adapted to the training split
import keras
from keras import layers
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y)
norm = layers.Normalization()
norm.adapt(X_train)
net = keras.Sequential([norm, layers.Dense(1)])
net.fit(X_train, y_train)

# case: a Keras Normalization layer adapted to the training split, then applied to both sides
import tensorflow as tf
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y)
norm = tf.keras.layers.Normalization()
norm.adapt(X_train)
train_inputs, test_inputs = norm(X_train), norm(X_test)

# case: a function splits, then calls another module function that scales the training part
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
def scaled(frame):
    return StandardScaler().fit_transform(frame)
def main():
    X_train, X_test = train_test_split(pd.read_csv("data.csv"), random_state=0)
    return scaled(X_train)
main()

# case: a preprocessing class whose constructor's scaler is fitted on the training split
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
class Scaling:
    def __init__(self):
        self.scaler = StandardScaler()
    def fit(self, frame):
        self.scaler.fit(frame)
        return self
    def transform(self, frame):
        return self.scaler.transform(frame)
X_train, X_test, y_train, y_test = train_test_split(X, y)
scaling = Scaling().fit(X_train)
train_inputs, test_inputs = scaling.transform(X_train), scaling.transform(X_test)

# case: a StringLookup learns only the vocabulary
import keras
from keras import layers
from sklearn.model_selection import train_test_split
lookup = layers.StringLookup()
lookup.adapt(words)
words_train, words_test = train_test_split(words)

# case: a helper calling itself is applied once
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
def clean(frame, depth):
    return clean(frame, depth - 1) if depth else frame
X_train, X_test = train_test_split(clean(X, 3))

# case: a per-row function given to apply
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
def normalise_row(row):
    return StandardScaler().fit_transform(row)
frame = frame.apply(normalise_row, axis=1)
parts = train_test_split(frame, target)

# case: a hand-written transformer class learns the mean before the split
from sklearn.model_selection import train_test_split
class MeanCentering:
    def fit(self, X, y=None):
        self.mean_ = X.mean()
        return self
    def transform(self, X):
        return X - self.mean_
centred = MeanCentering().fit(X).transform(X)  # expect: ML201 (no fix)
X_train, X_test = train_test_split(centred)

# case: a hand-written transformer class fitted on the training split
from sklearn.model_selection import train_test_split
class MeanCentering:
    def fit(self, X, y=None):
        self.mean_ = X.mean()
        return self
    def transform(self, X):
        return X - self.mean_
X_train, X_test = train_test_split(X)
centering = MeanCentering().fit(X_train)
X_train, X_test = centering.transform(X_train), centering.transform(X_test)

# case: a hand-written class whose fit learns nothing from the rows
from sklearn.model_selection import train_test_split
class AddOne:
    def fit(self, X, y=None):
        self.offset = 1
        return self
    def transform(self, X):
        return X + self.offset
shifted = AddOne().fit(X).transform(X)
X_train, X_test = train_test_split(shifted)

# case: GroupKFold folds of features scaled on every row
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GroupKFold
from sklearn.linear_model import Ridge
Xg = StandardScaler().fit_transform(X)  # expect: ML201 (no fix)
for tr, te in GroupKFold(5).split(Xg, y, groups=site):
    Ridge().fit(Xg[tr], y[tr]).score(Xg[te], y[te])

# case: TimeSeriesSplit folds of features scaled on every row
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import TimeSeriesSplit
from sklearn.linear_model import Ridge
Xt = MinMaxScaler().fit_transform(X)  # expect: ML201 (no fix)
for tr, te in TimeSeriesSplit(5).split(Xt):
    Ridge().fit(Xt[tr], y[tr]).score(Xt[te], y[te])

# case: a Hugging Face dataset split after scaling its columns
from datasets import Dataset
from sklearn.preprocessing import StandardScaler
frame[["a", "b"]] = StandardScaler().fit_transform(frame[["a", "b"]])  # expect: ML201 (no fix)
parts = Dataset.from_pandas(frame).train_test_split(test_size=0.2)
train_ds, test_ds = parts["train"], parts["test"]

# case: torch random_split of scaled features
from torch.utils.data import random_split
from sklearn.preprocessing import StandardScaler
features = StandardScaler().fit_transform(X)  # expect: ML201 (no fix)
train_set, test_set = random_split(features, [0.8, 0.2])

# case: a Hugging Face dataset split before scaling its training part
from datasets import Dataset
from sklearn.preprocessing import StandardScaler
parts = Dataset.from_pandas(frame).train_test_split(test_size=0.2)
train_frame = parts["train"].to_pandas()
scaler = StandardScaler().fit(train_frame[["a", "b"]])

# case: GroupKFold folds scaled inside each fold
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GroupKFold
from sklearn.linear_model import Ridge
for tr, te in GroupKFold(5).split(X, y, groups=site):
    scaler = StandardScaler().fit(X[tr])
    Ridge().fit(scaler.transform(X[tr]), y[tr]).score(scaler.transform(X[te]), y[te])
