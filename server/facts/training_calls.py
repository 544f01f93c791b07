"""Which call "trains a model", and which is the first one in a document.

Shared by ML306 (missing-evaluation) and ML601 (no-experiment-tracking) so both
rules agree on what training is: an estimator's `.fit(` (sklearn, xgboost,
lightgbm, catboost, imblearn ensembles, a `*SearchCV`, a pipeline ending in an
estimator), Keras `fit`, Hugging Face `trainer.train()`, or the first
`.backward()` of a torch loop that steps an optimizer. A transformer's `fit` or
a sampler's `fit_resample` is not training, and neither is the `fit` of a
receiver that cannot be resolved: precision first.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

from ..model.bindings import COMPREHENSIONS, NameBindings, name_bindings, position
from ..model.module_model import per_version
from ..parse.syntax import SCOPE_TYPES, enclosing_scope, parent

# sklearn modules whose classes are models (fitting one is training).
SKLEARN_MODEL_MODULES = frozenset({
    "linear_model", "svm", "tree", "ensemble", "neighbors", "naive_bayes", "neural_network",
    "discriminant_analysis", "gaussian_process", "kernel_ridge", "cross_decomposition", "isotonic",
    "calibration", "dummy", "multiclass", "multioutput", "semi_supervised", "cluster", "mixture",
    "covariance",
})
# Classes of those modules that transform or index data rather than model it.
SKLEARN_NOT_MODELS = frozenset({
    "NearestNeighbors", "KNeighborsTransformer", "RadiusNeighborsTransformer",
    "NeighborhoodComponentsAnalysis", "BallTree", "KDTree", "RandomTreesEmbedding", "FeatureAgglomeration",
})
SKLEARN_OTHER_MODELS = frozenset({
    "sklearn.compose.TransformedTargetRegressor",
    "sklearn.model_selection.TunedThresholdClassifierCV", "sklearn.model_selection.FixedThresholdClassifier",
})
PIPELINES = frozenset({
    "sklearn.pipeline.Pipeline", "sklearn.pipeline.make_pipeline",
    "imblearn.pipeline.Pipeline", "imblearn.pipeline.make_pipeline",
})
KERAS_ROOTS = ("keras.", "tensorflow.keras.", "tensorflow.python.keras.", "tf_keras.")
# Methods that return the estimator itself: `SVC().set_params(C=1).fit(...)`.
RETURNS_SELF = frozenset({"set_params", "fit", "set_output", "set_fit_request"})
MAX_DEPTH = 8
TRAINING_LIBRARIES = ("sklearn", "xgboost", "lightgbm", "catboost", "imblearn", "keras", "tensorflow",
                      "tf_keras", "transformers", "trl", "torch", "lightning", "pytorch_lightning")


@dataclass(frozen=True, slots=True)
class TrainingCall:
    chunk: object
    call: ast.Call
    kind: str  # "estimator" | "keras" | "trainer" | "lightning" | "backward"
    label: str  # what trains, for messages: "RandomForestClassifier", "Keras model", ...


def short(qualname: str) -> str:
    return qualname.rsplit(".", 1)[-1]


def is_sklearn_model(qualname: str) -> bool:
    parts = qualname.split(".")
    if parts[0] != "sklearn" or len(parts) < 3 or not parts[-1][:1].isupper():
        return False
    if qualname in SKLEARN_OTHER_MODELS or parts[-1].endswith("SearchCV"):
        return True
    module = parts[1]
    # `sklearn.ensemble.X` or a private submodule `sklearn.ensemble._forest.X`, not `...kernels.RBF`.
    in_model_module = module in SKLEARN_MODEL_MODULES and (len(parts) == 3 or parts[2].startswith("_"))
    return in_model_module and parts[-1] not in SKLEARN_NOT_MODELS and not parts[-1].endswith("Display")


def is_library_model(qualname: str) -> bool:
    """Estimators of the gradient-boosting libraries and imblearn's ensembles."""
    root, name = qualname.split(".", 1)[0], short(qualname)
    if root == "xgboost":
        return name.startswith("XGB") and not name.startswith("XGBoost")
    if root == "lightgbm":
        return name.startswith("LGBM")
    if root == "catboost":
        return name.startswith("CatBoost")
    if qualname.startswith("imblearn.ensemble."):
        return name[:1].isupper()
    return False


def is_keras_model(qualname: str) -> bool:
    if not qualname.startswith(KERAS_ROOTS):
        return False
    name = short(qualname)
    return (name in ("Sequential", "Model") or name == "load_model"
            or ".applications." in qualname and name[:1].isupper())


def is_hf_trainer(qualname: str) -> bool:
    return qualname.startswith(("transformers.", "trl.")) and short(qualname).endswith("Trainer")


def is_lightning_trainer(qualname: str) -> bool:
    return qualname.split(".", 1)[0] in ("lightning", "pytorch_lightning") and short(qualname) == "Trainer"


class TrainingCallFinder:
    """Classifies receivers of `.fit` / `.train` through constructors, assignments and loops."""

    def __init__(self, model):
        self.model = model
        self.bindings: NameBindings = name_bindings(model)
        self.classes = {node.name: node for _, node in model.nodes(ast.ClassDef) if enclosing_scope(node) is None}

    @cached_property
    def keras_compiled(self) -> frozenset[str]:
        """Names `m` of `m.compile(optimizer=..., loss=...)` in a Keras file (built by a helper)."""
        if not self.model.imports_any("keras", "tensorflow", "tf_keras"):
            return frozenset()
        names = set()
        for _, call in self.model.method_calls("compile"):
            func = call.func
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and (call.args or any(k.arg in ("optimizer", "loss") for k in call.keywords))):
                names.add(func.value.id)
        return frozenset(names)

    # ----- what a receiver is ----------------------------------------------------------

    def kind_of(self, expr: ast.AST, depth: int = 0) -> tuple[str, str] | None:
        """(kind, label) of an expression: "estimator", "keras", "trainer"; None if unknown."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Call):
            return self._kind_of_call(expr, depth)
        if isinstance(expr, ast.Name):
            found = self._kind_of_name(expr, depth)
            if found is None and expr.id in self.keras_compiled:
                return "keras", "Keras model"
            return found
        return None

    def _kind_of_call(self, call: ast.Call, depth: int):
        qualname = self.model.resolve(call.func)
        if qualname is not None:
            return self.constructor_kind(qualname, call, depth)
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in RETURNS_SELF:
            return self.kind_of(func.value, depth + 1)
        if isinstance(func, ast.Name) and func.id in self.classes:
            return self.local_class_kind(self.classes[func.id], depth + 1)
        return None

    def _kind_of_name(self, name: ast.Name, depth: int):
        binding = self.bindings.lookup(name.id, name)
        if binding is None or binding.value is None:
            return None
        if binding.kind == "value":
            return self.kind_of(binding.value, depth + 1)
        if binding.kind == "loop":
            return self.element_kind(binding.value, depth + 1)
        return None

    def constructor_kind(self, qualname: str, call: ast.Call, depth: int):
        if qualname in PIPELINES:
            last = last_pipeline_step(qualname, call)
            return None if last is None else self.kind_of(last, depth + 1)
        if qualname == "sklearn.base.clone" and call.args:
            return self.kind_of(call.args[0], depth + 1)
        if is_sklearn_model(qualname) or is_library_model(qualname):
            return "estimator", short(qualname)
        if is_keras_model(qualname):
            return "keras", "Keras model"
        if is_hf_trainer(qualname):
            return "trainer", short(qualname)
        if is_lightning_trainer(qualname):
            return "lightning", "Lightning Trainer"
        return None

    def local_class_kind(self, node: ast.ClassDef, depth: int):
        """A class defined in the file, by its bases: a Keras Model or a Hugging Face Trainer."""
        if depth > MAX_DEPTH:
            return None
        for base in node.bases:
            qualname = self.model.resolve(base)
            if qualname is not None:
                if is_sklearn_model(qualname) or is_library_model(qualname):
                    return "estimator", node.name
                if is_keras_model(qualname) and short(qualname) == "Model":
                    return "keras", node.name
                if is_hf_trainer(qualname):
                    return "trainer", node.name
            elif isinstance(base, ast.Name) and base.id in self.classes and base.id != node.name:
                found = self.local_class_kind(self.classes[base.id], depth + 1)
                if found:
                    return found[0], node.name
        return None

    def element_kind(self, iterable: ast.AST, depth: int):
        """The kind shared by every model in a loop's iterable (names and literals aside)."""
        found = [self.kind_of(element, depth + 1) for element in self.iterable_elements(iterable, depth)]
        if not found or None in found or len({kind for kind, _ in found}) != 1:
            return None
        labels = list(dict.fromkeys(label for _, label in found))
        return found[0][0], ", ".join(labels[:2]) + (", ..." if len(labels) > 2 else "")

    def iterable_elements(self, iterable: ast.AST, depth: int) -> list[ast.AST]:
        """Non-literal leaves of `[(name, SVC()), ...]`, `dict.items()`, `zip(a, b)`, a bound name."""
        if depth > MAX_DEPTH:
            return [iterable]
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            return [leaf for element in iterable.elts for leaf in self.iterable_elements(element, depth + 1)]
        if isinstance(iterable, ast.Dict):
            return [leaf for value in iterable.values for leaf in self.iterable_elements(value, depth + 1)]
        if isinstance(iterable, ast.Constant):
            return []
        if isinstance(iterable, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return self.iterable_elements(iterable.elt, depth + 1)
        if isinstance(iterable, ast.DictComp):
            return self.iterable_elements(iterable.value, depth + 1)
        if isinstance(iterable, ast.Call):
            func = iterable.func
            if self.model.resolve(func) in ("builtins.zip", "builtins.enumerate"):
                return [leaf for arg in iterable.args for leaf in self.iterable_elements(arg, depth + 1)]
            if self.model.resolve(func) == "builtins.dict" and not iterable.args:
                return [leaf for k in iterable.keywords for leaf in self.iterable_elements(k.value, depth + 1)]
            if isinstance(func, ast.Attribute) and func.attr in ("items", "values") and not iterable.args:
                return self.iterable_elements(func.value, depth + 1)
        if isinstance(iterable, ast.Name):
            binding = self.bindings.lookup(iterable.id, iterable)
            if binding is not None and binding.kind == "value" and isinstance(
                binding.value, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Call, *COMPREHENSIONS)
            ):
                return self.iterable_elements(binding.value, depth + 1)
        return [iterable]

    # ----- the training calls ------------------------------------------------------------

    @cached_property
    def stepping_loops(self) -> set[int]:
        """Loops that call some `.step(...)`: a backward there trains (an FGSM attack or an autograd
        demo back-propagates without updating any weights)."""
        return {id(loop) for _, call in self.model.method_calls("step") for loop in loops_of(call)}

    def training_call(self, chunk, call: ast.Call) -> TrainingCall | None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr == "fit":
            found = self.kind_of(func.value)
            if found and found[0] in ("estimator", "keras", "lightning"):
                return TrainingCall(chunk, call, *found)
        elif func.attr == "train":
            found = self.kind_of(func.value)
            if found and found[0] == "trainer":
                return TrainingCall(chunk, call, *found)
        elif func.attr == "backward" and self.model.imports_any("torch") and self.model.resolve(func) is None:
            if any(id(loop) in self.stepping_loops for loop in loops_of(call)):
                return TrainingCall(chunk, call, "backward", "torch training loop")
        return None

    def first(self) -> TrainingCall | None:
        best, best_at = None, None
        for chunk, call in self.model.method_calls("fit", "train", "backward"):
            at = position(chunk, call)
            if best_at is not None and at >= best_at:
                continue
            found = self.training_call(chunk, call)
            if found is not None:
                best, best_at = found, at
        return best


def last_pipeline_step(qualname: str, call: ast.Call) -> ast.AST | None:
    """The final step of `make_pipeline(a, b)` or `Pipeline([("a", a), ("b", b)])`."""
    if short(qualname) == "make_pipeline":
        if call.args and not isinstance(call.args[-1], ast.Starred):
            return call.args[-1]
        return None
    steps = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "steps"), None)
    if isinstance(steps, (ast.List, ast.Tuple)) and steps.elts:
        last = steps.elts[-1]
        if isinstance(last, ast.Tuple) and len(last.elts) >= 2:
            return last.elts[1]
    return None


def loops_of(node: ast.AST) -> list[ast.AST]:
    """The for/while loops of its own function (or of the module) around `node`."""
    return [a for a in ancestors_in_scope(node) if isinstance(a, (ast.For, ast.AsyncFor, ast.While))]


def ancestors_in_scope(node: ast.AST):
    """Ancestors of `node` up to (not including) its function, lambda or class."""
    up = parent(node)
    while up is not None and not isinstance(up, SCOPE_TYPES):
        yield up
        up = parent(up)


@per_version
def first_training_call(model) -> TrainingCall | None:
    """The first call that trains a model, in program order."""
    if not model.imports_any(*TRAINING_LIBRARIES):
        return None
    return TrainingCallFinder(model).first()
