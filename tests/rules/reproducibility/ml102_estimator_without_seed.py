# rules: ML102

# case: random forest
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(n_estimators=100)  # expect: ML102

# case: aliased class
from sklearn.ensemble import RandomForestClassifier as RFC
model = RFC()  # expect: ML102

# case: module alias
import sklearn.ensemble as ens
model = ens.GradientBoostingRegressor(max_depth=3)  # expect: ML102

# case: from sklearn import module
from sklearn import ensemble, cluster, mixture
a = ensemble.ExtraTreesClassifier()  # expect: ML102
b = cluster.MiniBatchKMeans(n_clusters=3)  # expect: ML102
c = mixture.BayesianGaussianMixture()  # expect: ML102

# case: random solvers and probability
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC, NuSVC, LinearSVC
a = LogisticRegression(solver="saga")  # expect: ML102
b = LogisticRegression(solver="liblinear", C=0.1)  # expect: ML102
c = SVC(probability=True)  # expect: ML102
d = NuSVC(probability=True)  # expect: ML102
e = LinearSVC()  # expect: ML102

# case: inside a pipeline
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import SGDClassifier
pipe = make_pipeline(StandardScaler(), SGDClassifier())  # expect: ML102

# case: many families
from sklearn.neural_network import MLPClassifier
from sklearn.manifold import TSNE
from sklearn.decomposition import TruncatedSVD, NMF
from sklearn.cluster import KMeans
from sklearn.ensemble import IsolationForest, HistGradientBoostingClassifier
from sklearn.tree import DecisionTreeRegressor
from sklearn.model_selection import RandomizedSearchCV
a = MLPClassifier(hidden_layer_sizes=(10,))  # expect: ML102
b = TSNE(n_components=2)  # expect: ML102
c = TruncatedSVD(50)  # expect: ML102
d = NMF(5)  # expect: ML102
e = KMeans(n_clusters=8)  # expect: ML102
f = IsolationForest()  # expect: ML102
g = HistGradientBoostingClassifier()  # expect: ML102
h = DecisionTreeRegressor(max_depth=4)  # expect: ML102
search = RandomizedSearchCV(h, {"max_depth": [2, 4]}, n_iter=2)  # expect: ML102

# case: boosting libraries
import xgboost as xgb
from lightgbm import LGBMRegressor
from catboost import CatBoostClassifier
a = xgb.XGBClassifier(n_estimators=50)  # expect: ML102
b = LGBMRegressor()  # expect: ML102
c = CatBoostClassifier(iterations=10)  # expect: ML102

# case: imblearn samplers
from imblearn.over_sampling import SMOTE, ADASYN, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
X_res, y_res = SMOTE().fit_resample(X, y)  # expect: ML102
a = ADASYN()  # expect: ML102
b = RandomOverSampler()  # expect: ML102
c = RandomUnderSampler()  # expect: ML102

# case: stdlib seed does not seed sklearn
import random
from sklearn.ensemble import BaggingClassifier
random.seed(0)
model = BaggingClassifier()  # expect: ML102

# case: random_state literal
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(n_estimators=100, random_state=0)

# case: random_state None
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(random_state=None)

# case: random_state variable
import numpy as np
from sklearn.cluster import KMeans
rng = np.random.RandomState(0)
model = KMeans(n_clusters=3, random_state=rng)

# case: deterministic estimators
from sklearn.linear_model import LinearRegression, Ridge, LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.decomposition import PCA
a = LinearRegression()
b = Ridge(alpha=1.0)
c = LogisticRegression(max_iter=1000)
d = LogisticRegression(solver="lbfgs")
e = StandardScaler()
f = SVC(kernel="rbf")
g = SVC(probability=False)
h = PCA(n_components=2)

# case: solver not known statically
from sklearn.linear_model import LogisticRegression
model = LogisticRegression(solver=chosen_solver)

# case: kwargs
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(**params)

# case: boosting seeds under their own names
import xgboost as xgb
import lightgbm as lgb
from catboost import CatBoostRegressor, CatBoost
a = xgb.XGBRegressor(seed=1)
b = lgb.LGBMClassifier(seed=1)
c = CatBoostRegressor(random_seed=0)
d = CatBoost({"random_seed": 0})

# case: not imported from a library
class RandomForestClassifier:
    pass
model = RandomForestClassifier()

# case: documented deterministic configurations
from sklearn.svm import LinearSVC
from sklearn.cluster import KMeans
from sklearn.linear_model import SGDClassifier
a = LinearSVC(dual=False)
b = KMeans(n_clusters=3, init=centres, n_init=1)
c = SGDClassifier(shuffle=False)

# case: base estimator reseeded by the ensemble
from sklearn.ensemble import AdaBoostClassifier, BaggingRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
a = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), random_state=0)
b = BaggingRegressor(estimator=DecisionTreeRegressor(), random_state=0)

# case: numpy's global generator seeded
import numpy as np
from sklearn.ensemble import RandomForestClassifier
np.random.seed(0)
model = RandomForestClassifier()

# case: seeded later through set_params
from sklearn.cluster import KMeans
km = KMeans(n_clusters=4)
for seed in range(3):
    km.set_params(random_state=seed)

# case: notebook: the estimator in a later cell
# cell
from sklearn.ensemble import RandomForestClassifier
# cell
x = 1
model = RandomForestClassifier()  # expect: ML102

# case: fix: a multi-line call keeps one argument a line
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(  # expect: ML102
    n_estimators=100,
    max_depth=4,
)
# fixed:
from sklearn.ensemble import RandomForestClassifier

SEED = 42
model = RandomForestClassifier(
    n_estimators=100,
    max_depth=4,
    random_state=SEED,
)

# case: fix: a multi-line call keeps its arguments on their line
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(  # expect: ML102
    n_estimators=100, max_depth=4
)
# fixed:
from sklearn.ensemble import RandomForestClassifier

SEED = 42
model = RandomForestClassifier(
    n_estimators=100, max_depth=4, random_state=SEED
)

# case: linear models trained by SGD, embeddings and mixtures
from sklearn.linear_model import Perceptron, PassiveAggressiveClassifier
from sklearn.ensemble import RandomTreesEmbedding
from sklearn.mixture import GaussianMixture
a = Perceptron()  # expect: ML102
b = PassiveAggressiveClassifier()  # expect: ML102
c = RandomTreesEmbedding()  # expect: ML102
d = GaussianMixture(3)  # expect: ML102

# case: SGD regressor, a single extra tree, an MLP regressor
from sklearn.linear_model import SGDRegressor
from sklearn.tree import ExtraTreeClassifier
from sklearn.neural_network import MLPRegressor
a = SGDRegressor()  # expect: ML102
b = ExtraTreeClassifier()  # expect: ML102
c = MLPRegressor()  # expect: ML102
