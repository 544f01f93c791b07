"""ML102 estimator-without-seed."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...facts.rng_seeding import seed_constant_of
from ...model.bindings import name_bindings
from ...model.calls import has_keyword, has_star_kwargs, keyword_constant
from ...model.module_model import ModuleModel
from ...parse.syntax import dotted_name, parent
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE
from .seeds import add_seed_keyword, keyword_fix_data, numpy_seeded

ESTIMATOR_WITHOUT_SEED = Rule(
    code="ML102",
    name="estimator-without-seed",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    summary="An estimator whose result depends on randomness (random forests, boosting, KMeans, "
    "MLPs, SGD, t-SNE, SMOTE, ...) is constructed without `random_state`.",
    why="Bootstrap samples, feature subsets, initial weights and cluster centres are drawn at "
    "random: without a fixed `random_state` the same code on the same data gives a different "
    "model and a different score on every run, so a change in the metric cannot be told apart "
    "from noise.",
    bad="model = RandomForestClassifier(n_estimators=400)",
    good="SEED = 42\nmodel = RandomForestClassifier(n_estimators=400, random_state=SEED)",
    fix_title="Add random_state=SEED",
)
SKLEARN_RANDOM_FAMILIES = (
    "RandomForest", "ExtraTrees", "GradientBoosting", "DecisionTree", "ExtraTree",
    "Bagging", "AdaBoost", "MLP", "SGD", "PassiveAggressive",
)
SKLEARN_RANDOM_ESTIMATORS = frozenset({
    "IsolationForest", "RandomTreesEmbedding", "Perceptron", "KMeans", "MiniBatchKMeans", "GaussianMixture",
    "BayesianGaussianMixture", "TSNE", "TruncatedSVD", "RandomizedSearchCV", "LinearSVC", "FastICA",
    "PolynomialCountSketch", "SparseRandomProjection", "GaussianRandomProjection",
})
RANDOM_SOLVERS = frozenset({"sag", "saga", "liblinear"})
RANDOM_PCA_SOLVERS = frozenset({"randomized", "arpack"})
RANDOM_NMF_INITS = frozenset({"random", "nndsvdar"})  # the default (nndsvda or nndsvd) is deterministic
IMBLEARN_SAMPLERS = frozenset({"SMOTE", "ADASYN", "RandomOverSampler", "RandomUnderSampler"})
# Not xgboost, lightgbm or catboost: without a seed they use fixed defaults (xgboost seed 0,
# LightGBM's fixed C++ seeds, catboost random_seed 0), so the same data gives the same model.
ESTIMATOR_ROOTS = ("sklearn.", "imblearn.")


def random_estimator(name: str, call: ast.Call) -> bool:
    """Is `name(...)` an estimator whose fitted result depends on its random_state?"""
    root, short = name.split(".", 1)[0], name.rsplit(".", 1)[1]
    if root == "sklearn":
        return random_sklearn_estimator(short, call)
    return root == "imblearn" and short in IMBLEARN_SAMPLERS


def random_logistic_solver(call: ast.Call) -> bool:
    """sag/saga shuffle; liblinear draws only in its L1 and dual coordinate descents: the default
    L2 primal (a trust-region Newton method) is deterministic."""
    solver = keyword_constant(call, "solver")
    if solver != "liblinear":
        return solver in RANDOM_SOLVERS
    return keyword_constant(call, "penalty") == "l1" or keyword_constant(call, "dual") is True


def random_sklearn_estimator(short: str, call: ast.Call) -> bool:
    if short == "LogisticRegression":
        return random_logistic_solver(call)
    if short in ("SVC", "NuSVC"):
        return keyword_constant(call, "probability") is True
    # Configurations the scikit-learn docs call deterministic: random_state has no effect there.
    if short == "LinearSVC" and keyword_constant(call, "dual") is False:
        return False
    if short == "KMeans" and has_keyword(call, "init") and not isinstance(keyword_constant(call, "init"), str):
        return False  # explicit initial centres
    if short.startswith(("SGD", "Perceptron", "PassiveAggressive")) and keyword_constant(call, "shuffle") is False:
        return keyword_constant(call, "early_stopping") not in (False, None)
    # Early stopping's validation split is random; by default it is on only above 10,000 rows,
    # which the code cannot show, so only an explicit `early_stopping=True` counts.
    if short.startswith("HistGradientBoosting"):
        return keyword_constant(call, "early_stopping") is True
    if short in ("NMF", "MiniBatchNMF"):
        return keyword_constant(call, "init") in RANDOM_NMF_INITS
    if short in ("PCA", "IncrementalPCA"):
        return short == "PCA" and keyword_constant(call, "svd_solver") in RANDOM_PCA_SOLVERS
    if short.startswith("GaussianProcess"):
        restarts = keyword_constant(call, "n_restarts_optimizer", 0)
        return isinstance(restarts, int) and restarts > 0
    return short.startswith(SKLEARN_RANDOM_FAMILIES) or short in SKLEARN_RANDOM_ESTIMATORS


@ESTIMATOR_WITHOUT_SEED.checker
def check_estimator_without_seed(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any("sklearn", "imblearn"):
        return
    candidates = [
        (chunk, call, name)
        for chunk, call, name in model.calls_matching(lambda n: n.startswith(ESTIMATOR_ROOTS))
        if random_estimator(name, call) and not has_keyword(call, "random_state")
        and not has_star_kwargs(call) and not seeded_by_wrapper(model, call)
    ]
    if not candidates:
        return
    reseeded = names_seeded_by_set_params(model)
    # With random_state=None, scikit-learn and imblearn draw from numpy's global generator when
    # they fit (often long after construction): a file that seeds numpy is reproducible.
    seeded = numpy_seeded(model)
    seed_constant = seed_constant_of(model)
    for chunk, call, name in candidates:
        if seeded or reseeded is ANY_ESTIMATOR or assigned_name(call) in reseeded:
            continue
        short = name.rsplit(".", 1)[1]
        yield rule.finding(model, call, f"`{short}` is constructed without `random_state`: "
                           "the fitted model changes on every run", chunk=chunk,
                           **keyword_fix_data(seed_constant, chunk, call))


def seeded_by_wrapper(model: ModuleModel, call: ast.Call) -> bool:
    """The base estimator of AdaBoost/Bagging (which reseed it every round), or an estimator
    handed to scikit-learn's estimator checks (which set random_state themselves)."""
    node, up = call, parent(call)
    while isinstance(up, (ast.List, ast.Tuple)):
        node, up = up, parent(up)
    if isinstance(up, ast.keyword):
        node, up = up, parent(up)
    if not isinstance(up, ast.Call) or up.func is node:
        return False
    wrapper = model.resolve(up.func) or ""
    if wrapper.startswith("sklearn.utils.estimator_checks."):
        return True
    is_base = (up.args and up.args[0] is node) or getattr(node, "arg", None) in ("estimator", "base_estimator")
    ensemble = wrapper.startswith("sklearn.") and wrapper.rsplit(".", 1)[1].startswith(("AdaBoost", "Bagging"))
    return bool(is_base) and ensemble


ANY_ESTIMATOR = frozenset({"*"})


def names_seeded_by_set_params(model: ModuleModel) -> frozenset[str]:
    """Names `est` of `est.set_params(random_state=...)`: that seeds `est`, not the file's others.
    On a function parameter or a loop variable (`def fit_and_score(estimator): estimator.set_params(
    random_state=0)`) it may seed any estimator of the file: ANY_ESTIMATOR."""
    names = set()
    for chunk, call in model.method_calls("set_params"):
        receiver = call.func.value
        if not has_keyword(call, "random_state") or dotted_name(receiver) is None:
            continue
        if isinstance(receiver, ast.Name):
            binding = name_bindings(model).lookup(receiver.id, call, chunk)
            if binding is None or binding.kind != "value":
                return ANY_ESTIMATOR
        names.add(dotted_name(receiver))
    return frozenset(names)


def assigned_name(call: ast.Call) -> str | None:
    """`km` of `km = KMeans(...)`."""
    up = parent(call)
    if isinstance(up, (ast.Assign, ast.AnnAssign)) and up.value is call:
        targets = up.targets if isinstance(up, ast.Assign) else [up.target]
        if len(targets) == 1:
            return dotted_name(targets[0])
    return None


@ESTIMATOR_WITHOUT_SEED.fixer
def fix_estimator_seed(text: str, finding: Finding) -> Fix | None:
    return add_seed_keyword(text, finding, "random_state")
