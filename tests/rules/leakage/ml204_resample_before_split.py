# rules: ML204, ML203
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

# case: a helper resamples, its output feeds a grid search
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC
def balance(features, labels):
    return SMOTE().fit_resample(features, labels)
X_b, y_b = balance(X, y)  # expect: ML204
GridSearchCV(SVC(), {"C": [1, 10]}).fit(X_b, y_b)

# case: the old fit_sample name, then a helper that splits
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
def logistic(features, labels):
    X_tr, X_te, y_tr, y_te = train_test_split(features, labels)
    return LogisticRegression().fit(X_tr, y_tr).predict_proba(X_te)
X_ran, y_ran = RandomOverSampler().fit_sample(X, y)  # expect: ML204
probs = logistic(X_ran, y_ran)

# case: a helper resamples only the training side
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
def balance(features, labels):
    return SMOTE().fit_resample(features, labels)
X_train, X_test, y_train, y_test = train_test_split(X, y)
X_train, y_train = balance(X_train, y_train)

# case: fit_sample on the training side
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y)
X_ran, y_ran = RandomOverSampler().fit_sample(X_train, y_train)
