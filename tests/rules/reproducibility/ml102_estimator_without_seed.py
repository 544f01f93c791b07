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
b = LogisticRegression(solver="liblinear", penalty="l1", C=0.1)  # expect: ML102
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
d = NMF(5, init="random")  # expect: ML102
e = KMeans(n_clusters=8)  # expect: ML102
f = IsolationForest()  # expect: ML102
g = HistGradientBoostingClassifier(early_stopping=True)  # expect: ML102
h = DecisionTreeRegressor(max_depth=4)  # expect: ML102
search = RandomizedSearchCV(h, {"max_depth": [2, 4]}, n_iter=2)  # expect: ML102

# case: liblinear's coordinate descents draw at random
from sklearn.linear_model import LogisticRegression
a = LogisticRegression(solver="liblinear", dual=True)  # expect: ML102
b = LogisticRegression(solver="liblinear", penalty="l1")  # expect: ML102

# case: liblinear's L2 primal is a deterministic Newton method
from sklearn.linear_model import LogisticRegression
a = LogisticRegression(solver="liblinear")
b = LogisticRegression(solver="liblinear", penalty="l2", C=10)
c = LogisticRegression(solver="liblinear", penalty=chosen_penalty)

# case: boosting libraries seed themselves with fixed defaults
import xgboost as xgb
from lightgbm import LGBMRegressor
from catboost import CatBoostClassifier
a = xgb.XGBClassifier(n_estimators=50, subsample=0.8)
b = LGBMRegressor(bagging_fraction=0.8)
c = CatBoostClassifier(iterations=10)

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

# case: hist gradient boosting with early stopping
from sklearn.ensemble import HistGradientBoostingRegressor
model = HistGradientBoostingRegressor(early_stopping=True)  # expect: ML102
model.fit(X, y)

# case: hist gradient boosting by default
from sklearn.ensemble import HistGradientBoostingClassifier
model = HistGradientBoostingClassifier(max_iter=100)
model.fit(X, y)
other = HistGradientBoostingClassifier(early_stopping="auto")
other.fit(X, y)

# case: nmf with its default or a deterministic init
from sklearn.decomposition import NMF, MiniBatchNMF
a = NMF(n_components=5).fit(X)
b = NMF(5, init="nndsvd").fit(X)
c = MiniBatchNMF(5).fit(X)

# case: nmf with a random init
from sklearn.decomposition import NMF
a = NMF(n_components=5, init="random").fit(X)  # expect: ML102
b = NMF(5, init="nndsvdar").fit(X)  # expect: ML102

# case: randomized pca and its relatives
from sklearn.decomposition import PCA, FastICA
from sklearn.kernel_approximation import PolynomialCountSketch
from sklearn.random_projection import SparseRandomProjection, GaussianRandomProjection
a = PCA(n_components=10, svd_solver="randomized").fit(X)  # expect: ML102
b = PCA(10, svd_solver="arpack").fit(X)  # expect: ML102
c = FastICA(n_components=3).fit(X)  # expect: ML102
d = PolynomialCountSketch(degree=2).fit(X)  # expect: ML102
e = SparseRandomProjection(n_components=20).fit(X)  # expect: ML102
f = GaussianRandomProjection().fit(X)  # expect: ML102

# case: exact pca
from sklearn.decomposition import PCA, IncrementalPCA
a = PCA(n_components=10).fit(X)
b = PCA(10, svd_solver="full").fit(X)
c = IncrementalPCA(10).fit(X)
d = PCA(10, svd_solver="randomized", random_state=0).fit(X)

# case: gaussian process with optimizer restarts
from sklearn.gaussian_process import GaussianProcessRegressor, GaussianProcessClassifier
a = GaussianProcessRegressor(kernel=k, n_restarts_optimizer=9).fit(X, y)  # expect: ML102
b = GaussianProcessClassifier(n_restarts_optimizer=2).fit(X, y)  # expect: ML102

# case: gaussian process without restarts
from sklearn.gaussian_process import GaussianProcessRegressor
a = GaussianProcessRegressor(kernel=k).fit(X, y)
b = GaussianProcessRegressor(kernel=k, n_restarts_optimizer=0).fit(X, y)
c = GaussianProcessRegressor(kernel=k, n_restarts_optimizer=5, random_state=0).fit(X, y)

# case: set_params seeds only its own object
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier
km = KMeans(n_clusters=4)
km.set_params(random_state=0)
forest = RandomForestClassifier()  # expect: ML102
km.fit(X)
forest.fit(X, y)

# case: set_params of an attribute seeds that attribute
from sklearn.cluster import KMeans
self.km = KMeans(n_clusters=4)
self.km.set_params(random_state=0)
self.km.fit(X)

# case: set_params on a parameter or loop variable may seed any estimator
from sklearn.cluster import KMeans
from sklearn.linear_model import SGDClassifier
def fit_and_score(estimator, X):
    estimator.set_params(random_state=0)
    return estimator.fit(X)
km = KMeans(n_clusters=4)
fit_and_score(km, X)
for clf in [SGDClassifier(), SGDClassifier(alpha=0.1)]:
    clf.set_params(random_state=1)
    clf.fit(X, y)

# case: set_params without random_state seeds nothing
from sklearn.cluster import KMeans
km = KMeans(n_clusters=4)  # expect: ML102
km.set_params(n_clusters=3)
km.fit(X)
