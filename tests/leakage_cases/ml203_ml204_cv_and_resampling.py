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

# case: resampled before a split
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)  # expect: ML204
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res)

# case: resampled before cross-validation
from imblearn.under_sampling import RandomUnderSampler as RUS
from sklearn.model_selection import cross_val_score
from sklearn.linear_model import LogisticRegression
X_bal, y_bal = RUS().fit_resample(X, y)  # expect: ML204
cross_val_score(LogisticRegression(), X_bal, y_bal)

# case: the resampled tuple unpacked later
from imblearn.over_sampling import ADASYN
from sklearn.model_selection import train_test_split
ada = ADASYN()
result = ada.fit_resample(X, y)  # expect: ML204
X_r, y_r = result
parts = train_test_split(X_r, y_r)

# case: a grid search on resampled data
import imblearn
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC
X_r, y_r = imblearn.over_sampling.RandomOverSampler().fit_resample(X, y)  # expect: ML204
GridSearchCV(SVC(), {"C": [1]}).fit(X_r, y_r)

# case: inside a function
from imblearn.combine import SMOTETomek
from sklearn.model_selection import train_test_split
def balanced_split(X, y):
    X_b, y_b = SMOTETomek().fit_resample(X, y)  # expect: ML204
    return train_test_split(X_b, y_b, stratify=y_b)

# case: only the resampled labels reach the split
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
_, y_over = SMOTE().fit_resample(X, y)  # expect: ML204
train_test_split(X_other, y_over)

# case: a KFold loop over resampled data
from imblearn.over_sampling import BorderlineSMOTE
from sklearn.model_selection import KFold
X_s, y_s = BorderlineSMOTE().fit_resample(X, y)  # expect: ML204
for tr, te in KFold(5).split(X_s):
    pass

# case: resampled, then split by hand into a trained and an evaluated part
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import LogisticRegression
X_s, y_s = SMOTE().fit_resample(X, y)  # expect: ML204
model = LogisticRegression().fit(X_s[:1000], y_s[:1000])
print(model.score(X_s[1000:], y_s[1000:]))

# case: NEGATIVE resampling the training side only
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
X_train, X_test, y_train, y_test = train_test_split(X, y)
X_tr, y_tr = SMOTE().fit_resample(X_train, y_train)
LogisticRegression().fit(X_tr, y_tr).score(X_test, y_test)

# case: NEGATIVE a sampler inside an imblearn pipeline, cross-validated
from imblearn.pipeline import make_pipeline
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
cross_val_score(make_pipeline(SMOTE(), LogisticRegression()), X, y)

# case: NEGATIVE resampled output unused; the raw data is split
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
X_r, y_r = SMOTE().fit_resample(X, y)
train_test_split(X, y)

# case: NEGATIVE a look-alike sampler from the project
from mysampling import SMOTE
from sklearn.model_selection import train_test_split
import imblearn
X_r, y_r = SMOTE().fit_resample(X, y)
train_test_split(X_r, y_r)

# case: NEGATIVE resampled and trained on, never split
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import LogisticRegression
X_r, y_r = SMOTE().fit_resample(X, y)
LogisticRegression().fit(X_r, y_r)

# case: NEGATIVE the resampled data only reaches a metric
from imblearn.over_sampling import SMOTE
from sklearn.metrics import accuracy_score
X_r, y_r = SMOTE().fit_resample(X, y)
accuracy_score(y_r, model_predictions)

# case: NEGATIVE an unresolved object's fit_resample
import imblearn
from sklearn.model_selection import train_test_split
sampler = make_sampler()
X_r, y_r = sampler.fit_resample(X, y)
train_test_split(X_r, y_r)

# case: NEGATIVE resampling inside the CV loop, on the training fold
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import SVC
for tr, te in StratifiedKFold(5).split(X, y):
    X_tr, y_tr = SMOTE().fit_resample(X[tr], y[tr])
    SVC().fit(X_tr, y_tr).score(X[te], y[te])
