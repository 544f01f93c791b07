"""ML1: reproducibility. Randomness that is not seeded makes results unrepeatable."""

from __future__ import annotations

import ast

from ..facts.framework_training import (
    FRAMEWORK_ROOTS,
    head_initialisations,
    trained_module_constructions,
    training_uses,
)
from ..facts.rng_seeding import (
    NUMPY,
    STDLIB,
    TORCH,
    SeedConstant,
    Seeding,
    insert_seed_call,
    position,
    seed_call_data,
    top_level_alias,
)
from ..model.bindings import name_bindings
from ..model.calls import argument, has_keyword, has_star_kwargs, keyword_constant
from ..parse.syntax import dotted_name, parent
from ..rules.findings import Fix, Severity
from ..rules.rule import Rule

PRINCIPLE = "Reproducibility"
AREA = "Model Development"

# ----- ML101 split-without-seed ------------------------------------------------------------

SPLIT_WITHOUT_SEED = Rule(
    code="ML101",
    name="split-without-seed",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    summary="A random split or shuffle (train_test_split, ShuffleSplit, KFold(shuffle=True), "
    "DataFrame.sample) is made without `random_state`.",
    why="Without a fixed `random_state` every run draws different train and test rows, so "
    "scores move between runs for no reason in the code, and nobody can reproduce the numbers "
    "in a report or compare two experiments fairly.",
    bad="X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)",
    good="SEED = 42\nX_train, X_test, y_train, y_test = train_test_split(\n"
    "    X, y, test_size=0.2, random_state=SEED\n)",
    fix_title="Add random_state=SEED",
)

MODEL_SELECTION = ("sklearn.model_selection.", "sklearn.cross_validation.")
ALWAYS_RANDOM_SPLITTERS = {
    "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold", "RepeatedStratifiedKFold",
}
SHUFFLE_SPLITTERS = {"KFold", "StratifiedKFold", "StratifiedGroupKFold"}


def split_needs_seed(name: str, call: ast.Call) -> bool:
    if not name.startswith(MODEL_SELECTION):
        return False
    short = name.rsplit(".", 1)[1]
    if short == "train_test_split":
        return keyword_constant(call, "shuffle", True) is not False
    if short in ALWAYS_RANDOM_SPLITTERS:
        return True
    return short in SHUFFLE_SPLITTERS and keyword_constant(call, "shuffle", False) is True


@SPLIT_WITHOUT_SEED.checker
def check_split_without_seed(model, rule):
    if not model.imports_any("sklearn", "pandas"):
        return
    seed_constant = SeedConstant(model)
    findings = []
    for chunk, call, name in model.calls_matching(lambda n: n.startswith(MODEL_SELECTION)):
        if split_needs_seed(name, call) and not has_keyword(call, "random_state") and not has_star_kwargs(call):
            short = name.rsplit(".", 1)[1]
            findings.append(rule.finding(model, call, f"`{short}` is called without `random_state`: "
                                         "the split changes on every run", chunk=chunk,
                                         **keyword_fix_data(seed_constant, chunk, call)))
    if model.imports_any("pandas"):
        findings.extend(unseeded_samples(model, rule, seed_constant))
    # random_state=None means numpy's global generator (for pandas too): a file that seeds it splits
    # the same way on every run.
    if findings and not numpy_seeded(model):
        yield from findings


def numpy_seeded(model) -> bool:
    return model.imports_any("numpy") and Seeding(model).seeded_somewhere(NUMPY)


def unseeded_samples(model, rule, seed_constant):
    """`df.sample(...)` whose result is kept, on something that is not a module function."""
    for chunk, call in model.method_calls("sample"):
        if model.resolve(call.func) is None and not has_keyword(call, "random_state") \
                and not has_star_kwargs(call) and result_is_assigned(call) \
                and not bound_to_non_pandas(model, chunk, call):
            yield rule.finding(model, call, "`.sample()` draws different rows on every run: "
                               "pass `random_state`", chunk=chunk, **keyword_fix_data(seed_constant, chunk, call))


def result_is_assigned(call: ast.Call) -> bool:
    """True for `x = df.sample(...)` and chains such as `x = df.sample(frac=1).reset_index()`."""
    node: ast.AST = call
    while isinstance(up := parent(node), (ast.Attribute, ast.Call)) and (
        isinstance(up, ast.Attribute) or up.func is node
    ):
        node = up
    return isinstance(parent(node), (ast.Assign, ast.AnnAssign)) and parent(node).value is node


def bound_to_non_pandas(model, chunk, call: ast.Call) -> bool:
    """`rng = random.Random(0); rng.sample(...)`: a receiver built by a non-pandas call."""
    receiver = call.func.value
    if not isinstance(receiver, ast.Name):
        return False
    binding = name_bindings(model).lookup(receiver.id, call, chunk)
    origin = model.call_name(binding.value) if binding and isinstance(binding.value, ast.Call) else None
    return origin is not None and not origin.startswith("pandas")


@SPLIT_WITHOUT_SEED.fixer
def fix_add_random_state(text, finding):
    return add_seed_keyword(text, finding, "random_state")


def add_seed_keyword(text: str, finding, keyword_name: str) -> Fix | None:
    """Add `keyword_name=SEED` to the call the finding covers, defining SEED if needed."""
    from ..fixes.cst import StatementPatch, with_keyword
    from ..fixes.seeding import ModuleLayout, seed_name_and_edits

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span)
    if call is None:
        return None
    seed, seed_edits, _ = seed_name_and_edits(ModuleLayout(text))
    edit = narrowed(text, patch.replace(call, with_keyword(call, keyword_name, seed)))
    return Fix(f"Add {keyword_name}={seed}", (edit, *seed_edits))


def keyword_fix_data(seed_constant, chunk, call: ast.Call) -> dict:
    """No fix when an existing SEED constant is only defined below this module-level call."""
    return {} if seed_constant.usable_at(chunk, call) else {"fixable": False}


def narrowed(text: str, edit):
    """The same change as `edit`, cut down to the characters that differ: the fixes of several
    calls in one statement (a list of estimators) then do not overlap and apply in one pass."""
    from bisect import bisect_right

    from ..fixes.edits import line_starts, to_offset
    from ..parse.positions import Span
    from ..rules.findings import Edit

    starts = line_starts(text)
    start = to_offset(starts, text, edit.span.line, edit.span.col)
    end = to_offset(starts, text, edit.span.end_line, edit.span.end_col)
    old, new = text[start:end], edit.content
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1

    def line_col(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1]

    return Edit(Span(*line_col(start + prefix), *line_col(end - suffix)), new[prefix:len(new) - suffix])


# ----- ML102 estimator-without-seed --------------------------------------------------------

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
    "RandomForest", "ExtraTrees", "GradientBoosting", "HistGradientBoosting", "DecisionTree", "ExtraTree",
    "Bagging", "AdaBoost", "MLP", "SGD", "PassiveAggressive",
)
SKLEARN_RANDOM_ESTIMATORS = frozenset({
    "IsolationForest", "RandomTreesEmbedding", "Perceptron", "KMeans", "MiniBatchKMeans", "GaussianMixture",
    "BayesianGaussianMixture", "TSNE", "TruncatedSVD", "NMF", "RandomizedSearchCV", "LinearSVC",
})
RANDOM_SOLVERS = frozenset({"sag", "saga", "liblinear"})
# Where the randomness only shows on larger data, the message says when.
RANDOM_WHEN = {
    name: "above 10,000 rows early stopping is on by default and its validation split changes on every run"
    for name in ("HistGradientBoostingClassifier", "HistGradientBoostingRegressor")
}
IMBLEARN_SAMPLERS = frozenset({"SMOTE", "ADASYN", "RandomOverSampler", "RandomUnderSampler"})
BOOSTING_LIBRARIES = {"xgboost": "XGB", "lightgbm": "LGBM", "catboost": "CatBoost"}
BOOSTING_PREFIXES = tuple(root + "." for root in BOOSTING_LIBRARIES)
ESTIMATOR_ROOTS = ("sklearn.", "imblearn.", *BOOSTING_PREFIXES)


def random_estimator(name: str, call: ast.Call) -> bool:
    """Is `name(...)` an estimator whose fitted result depends on its random_state?"""
    root, short = name.split(".", 1)[0], name.rsplit(".", 1)[1]
    if root == "sklearn":
        return random_sklearn_estimator(short, call)
    if root == "imblearn":
        return short in IMBLEARN_SAMPLERS
    prefix = BOOSTING_LIBRARIES.get(root)
    # `CatBoost(params)` takes its seed inside a params dict we cannot see.
    return prefix is not None and short.startswith(prefix) and not (short == "CatBoost" and call.args)


def random_sklearn_estimator(short: str, call: ast.Call) -> bool:
    if short == "LogisticRegression":
        return keyword_constant(call, "solver") in RANDOM_SOLVERS
    if short in ("SVC", "NuSVC"):
        return keyword_constant(call, "probability") is True
    # Configurations the scikit-learn docs call deterministic: random_state has no effect there.
    if short == "LinearSVC" and keyword_constant(call, "dual") is False:
        return False
    if short == "KMeans" and has_keyword(call, "init") and not isinstance(keyword_constant(call, "init"), str):
        return False  # explicit initial centres
    if short.startswith(("SGD", "Perceptron", "PassiveAggressive")) and keyword_constant(call, "shuffle") is False:
        return keyword_constant(call, "early_stopping") not in (False, None)
    return short.startswith(SKLEARN_RANDOM_FAMILIES) or short in SKLEARN_RANDOM_ESTIMATORS


def seed_keywords(name: str) -> tuple[str, ...]:
    if name.startswith(BOOSTING_PREFIXES):
        return ("random_state", "seed", "random_seed")
    return ("random_state",)


@ESTIMATOR_WITHOUT_SEED.checker
def check_estimator_without_seed(model, rule):
    if not model.imports_any("sklearn", "imblearn", *BOOSTING_LIBRARIES):
        return
    candidates = [
        (chunk, call, name)
        for chunk, call, name in model.calls_matching(lambda n: n.startswith(ESTIMATOR_ROOTS))
        if random_estimator(name, call) and not has_keyword(call, *seed_keywords(name))
        and not has_star_kwargs(call) and not seeded_by_wrapper(model, call)
    ]
    # `est.set_params(random_state=...)` somewhere: the file seeds its estimators after construction.
    if not candidates or sets_random_state_later(model):
        return
    # With random_state=None, scikit-learn and imblearn draw from numpy's global generator when
    # they fit (often long after construction): a file that seeds numpy is reproducible.
    seeded = numpy_seeded(model)
    seed_constant = SeedConstant(model)
    for chunk, call, name in candidates:
        if seeded and not name.startswith(BOOSTING_PREFIXES):
            continue
        short = name.rsplit(".", 1)[1]
        yield rule.finding(model, call, f"`{short}` is constructed without `random_state`: "
                           f"{RANDOM_WHEN.get(short, 'the fitted model changes on every run')}", chunk=chunk,
                           **keyword_fix_data(seed_constant, chunk, call))


def seeded_by_wrapper(model, call: ast.Call) -> bool:
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


def sets_random_state_later(model) -> bool:
    return any(has_keyword(call, "random_state") for _, call in model.method_calls("set_params"))


@ESTIMATOR_WITHOUT_SEED.fixer
def fix_estimator_seed(text, finding):
    return add_seed_keyword(text, finding, "random_state")


# ----- ML103 global-rng-unseeded -----------------------------------------------------------

GLOBAL_RNG_UNSEEDED = Rule(
    code="ML103",
    name="global-rng-unseeded",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    summary="numpy's legacy global RNG (`np.random.rand`, `choice`, `shuffle`, ...) or the `random` "
    "module is used before it is seeded, or `np.random.default_rng()` is created without a seed.",
    why="Numbers drawn from an unseeded generator differ on every run: the rows you subsample, the "
    "noise you add and the order you shuffle in all change, and with them every number downstream. "
    "Seed the generator once, or better pass a seeded `np.random.default_rng(SEED)` around.",
    bad="keep = np.random.choice(len(df), size=1000, replace=False)",
    good="SEED = 42\nnp.random.seed(SEED)\nkeep = np.random.choice(len(df), size=1000, replace=False)",
    fix_title="Seed the generator after the imports",
)

NUMPY_LEGACY_SAMPLERS = frozenset("""
    beta binomial bytes chisquare choice dirichlet exponential f gamma geometric gumbel hypergeometric
    laplace logistic lognormal logseries multinomial multivariate_normal negative_binomial
    noncentral_chisquare noncentral_f normal pareto permutation poisson power rand randint randn random
    random_integers random_sample ranf rayleigh sample shuffle standard_cauchy standard_exponential
    standard_gamma standard_normal standard_t triangular uniform vonmises wald weibull zipf
""".split())
STDLIB_SAMPLERS = frozenset("""
    random uniform triangular randint randrange choice choices shuffle sample gauss normalvariate
    lognormvariate expovariate vonmisesvariate gammavariate betavariate paretovariate weibullvariate
    getrandbits randbytes binomialvariate
""".split())
GENERATOR_CONSTRUCTORS = {"numpy.random.default_rng": "default_rng", "numpy.random.RandomState": "RandomState"}
GLOBAL_GENERATOR_NAMES = {NUMPY: "numpy's global generator", STDLIB: "the `random` module"}


def global_generator(name: str) -> str | None:
    """NUMPY / STDLIB for a function drawing from that global generator, else None."""
    module, _, function = name.rpartition(".")
    if module == "numpy.random" and function in NUMPY_LEGACY_SAMPLERS:
        return NUMPY
    if module == "random" and function in STDLIB_SAMPLERS:
        return STDLIB
    return None


def without_seed(call: ast.Call) -> bool:
    """`default_rng()` / `default_rng(None)` / `RandomState(seed=None)`; unknown (`*a`, `**kw`) is seeded."""
    if has_star_kwargs(call) or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    value = argument(call, 0, "seed")
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


@GLOBAL_RNG_UNSEEDED.checker
def check_global_rng_unseeded(model, rule):
    if not model.imports_any("numpy", "random"):
        return
    uses = []
    seed_constant = SeedConstant(model)
    for chunk, call, name in model.calls_matching(lambda n: n.startswith(("numpy.random.", "random."))):
        if name in GENERATOR_CONSTRUCTORS:
            if without_seed(call):
                yield rule.finding(model, call, f"`{GENERATOR_CONSTRUCTORS[name]}()` without a seed draws "
                                   "fresh OS entropy on every run: pass a seed", chunk=chunk, kind="constructor",
                                   **keyword_fix_data(seed_constant, chunk, call))
        elif (generator := global_generator(name)) is not None:
            uses.append((position(chunk, call), chunk, call, name, generator))
    if not uses:
        return
    seeding = Seeding(model)
    reported: set[str] = set()
    for _, chunk, call, name, generator in sorted(uses, key=lambda use: use[0]):
        if generator in reported or seeding.seeded(generator, chunk, call):
            continue
        reported.add(generator)  # the first unseeded use per generator is enough
        when = "before it is seeded" if seeding.seeded_somewhere(generator) else "which this file never seeds"
        yield rule.finding(model, call, f"`{dotted_name(call.func) or name}` draws from "
                           f"{GLOBAL_GENERATOR_NAMES[generator]}, {when}: results change on every run",
                           chunk=chunk, kind="global", generator=generator,
                           **global_seed_fix_data(model, seed_constant, chunk, call, generator))


def global_seed_fix_data(model, seed_constant, chunk, call: ast.Call, generator: str) -> dict:
    """How to seed: `np.random.seed(SEED)` through the file's own module alias, if it has one."""
    if generator == NUMPY:
        if (alias := top_level_alias(model, "numpy")) is not None:
            code = f"{alias}.random.seed({{seed}})"
        else:
            alias = top_level_alias(model, "numpy.random")
            code = alias and f"{alias}.seed({{seed}})"
    else:
        alias = top_level_alias(model, "random")
        code = alias and f"{alias}.seed({{seed}})"
    return seed_call_data(seed_constant, chunk, call, code, alias)


@GLOBAL_RNG_UNSEEDED.fixer
def fix_global_rng(text, finding):
    if finding.data.get("kind") == "constructor":
        return add_seed_argument(text, finding)
    return insert_seed_call(text, finding)


def add_seed_argument(text: str, finding) -> Fix | None:
    """`default_rng()` -> `default_rng(SEED)` (a `None` seed is replaced)."""
    import libcst as cst

    from ..fixes.cst import StatementPatch
    from ..fixes.seeding import ModuleLayout, seed_name_and_edits

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span)
    if call is None:
        return None
    seed, seed_edits, _ = seed_name_and_edits(ModuleLayout(text))
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is None or arg.keyword.value == "seed":
            args[index] = arg.with_changes(value=cst.Name(seed))
            break
    else:
        args.append(cst.Arg(cst.Name(seed)))
    edit = narrowed(text, patch.replace(call, call.with_changes(args=args)))
    return Fix(f"Pass {seed} to the generator", (edit, *seed_edits))


# ----- ML104 framework-unseeded ------------------------------------------------------------

FRAMEWORK_UNSEEDED = Rule(
    code="ML104",
    name="framework-unseeded",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    summary="A PyTorch or TensorFlow/Keras model is trained (or a Hugging Face head initialised) "
    "before the framework's random generator is seeded.",
    why="Initial weights, dropout masks and the order of shuffled batches come from the framework's "
    "own generator, which numpy's seed does not touch. Unseeded, two runs of the same script end "
    "in different models, so a better score may be luck rather than your change.",
    bad="loader = DataLoader(train_set, batch_size=64, shuffle=True)",
    good="SEED = 42\ntorch.manual_seed(SEED)\nloader = DataLoader(train_set, batch_size=64, shuffle=True)",
    fix_title="Seed the framework after the imports",
)


@FRAMEWORK_UNSEEDED.checker
def check_framework_unseeded(model, rule):
    if not model.imports_any(*FRAMEWORK_ROOTS):
        return
    # The first training use anchors the finding; a trained module's construction only when there is none.
    uses = training_uses(model) or trained_module_constructions(model)
    uses += head_initialisations(model)
    if not uses:
        return
    seeding = Seeding(model)
    for use in uses:
        if not seeding.seeded(use.generator, use.chunk, use.node):
            yield rule.finding(model, use.node, f"{use.message}: results change on every run", chunk=use.chunk,
                               generator=use.generator, **framework_seed_fix_data(model, use))
            return  # one finding per file


def framework_seed_fix_data(model, use) -> dict:
    """The framework's own seeding call, through the file's alias (`from transformers import set_seed` if none)."""
    code, alias, import_code = framework_seed_call(model, use)
    return seed_call_data(SeedConstant(model), use.chunk, use.node, code, alias, import_code)


def framework_seed_call(model, use) -> tuple[str | None, str | None, str | None]:
    """(call with `{seed}`, the alias it needs, an import to add): None when no safe call exists."""
    if use.hugging_face:
        if (alias := top_level_alias(model, "transformers")) is not None:
            return f"{alias}.set_seed({{seed}})", alias, None
        if top_level_alias(model, "transformers.set_seed") == "set_seed":
            return "set_seed({seed})", "set_seed", None
        if "set_seed" not in model.imports and not defines_function(model, "set_seed"):
            return "set_seed({seed})", None, "from transformers import set_seed"
        return None, None, None
    if use.generator == TORCH:
        if (alias := top_level_alias(model, "torch")) is not None:
            return f"{alias}.manual_seed({{seed}})", alias, None
        alias = top_level_alias(model, "lightning", "pytorch_lightning", "lightning.pytorch")
        return alias and f"{alias}.seed_everything({{seed}})", alias, None
    if (alias := top_level_alias(model, "tensorflow")) is not None:
        return f"{alias}.random.set_seed({{seed}})", alias, None
    alias = top_level_alias(model, "keras", "tensorflow.keras")
    return alias and f"{alias}.utils.set_random_seed({{seed}})", alias, None


def defines_function(model, name: str) -> bool:
    return any(fn.name == name for _, fn in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef))


@FRAMEWORK_UNSEEDED.fixer
def fix_framework_seed(text, finding):
    return insert_seed_call(text, finding)


RULES = [SPLIT_WITHOUT_SEED, ESTIMATOR_WITHOUT_SEED, GLOBAL_RNG_UNSEEDED, FRAMEWORK_UNSEEDED]
