# rules: ML203, ML204
# case: scaled once, then cross-validated
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
X_std = StandardScaler().fit_transform(X)  # expect: ML203
scores = cross_val_score(LogisticRegression(), X_std, y, cv=5)

# case: a grid search fitted on preprocessed data
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC
pca = PCA(n_components=10)
X_p = pca.fit_transform(X)  # expect: ML203
search = GridSearchCV(SVC(), {"C": [1, 10]})
search.fit(X_p, y)

# case: every other CV consumer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_validate, learning_curve
X1 = SimpleImputer().fit_transform(X)  # expect: ML203
cross_validate(Ridge(), X1, y)
X2 = SimpleImputer(strategy="median").fit_transform(X)  # expect: ML203
learning_curve(Ridge(), X=X2, y=y)

# case: fitted on the training split, then cross-validated on it
from sklearn.model_selection import train_test_split, cross_val_predict
from sklearn.preprocessing import MinMaxScaler
from sklearn.neighbors import KNeighborsClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y)
X_train = MinMaxScaler().fit_transform(X_train)  # expect: ML203
cross_val_predict(KNeighborsClassifier(), X_train, y_train)

# case: intermediate variables and np.hstack, in a function
import numpy as np
from sklearn.feature_selection import VarianceThreshold
from sklearn.model_selection import validation_curve
from sklearn.linear_model import Lasso
def curve(X, extra, y):
    kept = VarianceThreshold(0.1).fit_transform(X)  # expect: ML203
    stacked = np.hstack([kept, extra])
    return validation_curve(Lasso(), stacked, y, param_name="alpha", param_range=[0.1, 1.0])

# case: aliased search class and a category_encoders target encoder
from sklearn.model_selection import RandomizedSearchCV as RSCV
from category_encoders import TargetEncoder
from sklearn.tree import DecisionTreeClassifier
X_enc = TargetEncoder().fit_transform(X, y)  # expect: ML203
RSCV(DecisionTreeClassifier(), {"max_depth": [2, 4]}).fit(X_enc, y)

# case: a ColumnTransformer with a scaler outside the CV
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.model_selection import permutation_test_score
from sklearn.svm import SVR
df = pd.read_csv("data.csv")
prep = ColumnTransformer([("num", StandardScaler(), ["a"]), ("cat", OneHotEncoder(), ["c"])])
X_p = prep.fit_transform(df)  # expect: ML203
permutation_test_score(SVR(), X_p, df["target"])

# case: a notebook-style chain of scaler then cross_val_score via a module alias
import sklearn.model_selection as ms
import sklearn.preprocessing as pre
from sklearn.linear_model import LogisticRegression
Z = pre.RobustScaler().fit(X).transform(X)  # expect: ML203
print(ms.cross_val_score(LogisticRegression(), Z, y).mean())

# case: NEGATIVE a pipeline is refitted in every fold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y)

# case: NEGATIVE a category-only encoder before CV
from sklearn.preprocessing import OneHotEncoder
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import LogisticRegression
X_oh = OneHotEncoder(handle_unknown="ignore").fit_transform(X)
cross_val_score(LogisticRegression(), X_oh, y)

# case: NEGATIVE labels encoded before CV
from sklearn.preprocessing import LabelEncoder
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC
y_enc = LabelEncoder().fit_transform(y)
cross_val_score(SVC(), X, y_enc)

# case: NEGATIVE fitted on other data than the cross-validated rows
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import Ridge
reference = pd.read_csv("reference.csv")
sc = StandardScaler().fit(reference)
cross_val_score(Ridge(), sc.transform(X), y)

# case: NEGATIVE the scaled data is not what is cross-validated
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import Ridge
X_s = StandardScaler().fit_transform(X)
cross_val_score(Ridge(), X, y)

# case: NEGATIVE a grid search over a pipeline on raw data
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC
pipe = Pipeline([("sc", StandardScaler()), ("svc", SVC())])
GridSearchCV(pipe, {"svc__C": [1, 10]}).fit(X, y)

# case: NEGATIVE a project function named cross_val_score
from mytools import cross_val_score
from sklearn.preprocessing import StandardScaler
X_s = StandardScaler().fit_transform(X)
cross_val_score(model, X_s, y)

# case: NEGATIVE a stateless transformer before CV
import numpy as np
from sklearn.preprocessing import FunctionTransformer
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import Ridge
cross_val_score(Ridge(), FunctionTransformer(np.log1p).fit_transform(X), y)

# case: NEGATIVE a stateless hashing vectorizer before CV
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
X_h = HashingVectorizer().fit_transform(docs)
cross_val_score(LogisticRegression(), X_h, y)

# case: a hand-written transformer class fitted on all rows before cross-validation
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import Ridge
class Standardise:
    def fit(self, X):
        self.mu, self.sigma = X.mean(), X.std()
        return self
    def transform(self, X):
        return (X - self.mu) / self.sigma
scaler = Standardise()
scaler.fit(X)  # expect: ML203
cross_val_score(Ridge(), scaler.transform(X), y)

# case: a helper scales inside each fold of a loop it runs itself
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
def fold_scores(X, y):
    for tr, te in KFold(5).split(X):
        scaler = StandardScaler().fit(X[tr])
        Ridge().fit(scaler.transform(X[tr]), y[tr]).score(scaler.transform(X[te]), y[te])
fold_scores(X, y)
