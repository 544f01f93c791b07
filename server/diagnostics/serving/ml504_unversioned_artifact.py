"""ML504 unversioned-artifact."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from ...model.calls import argument, keyword, keyword_constant, method_name
from ...model.module_model import ModuleModel
from ...parse.syntax import ancestors, dotted_name
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA

UNVERSIONED_ARTIFACT = Rule(
    code="ML504",
    name="unversioned-artifact",
    severity=Severity.INFORMATION,
    principle="Versioning",
    area=AREA,
    red_flag="unversioned models or data",
    summary="A trained model is saved to a fixed file name (`joblib.dump(model, \"model.pkl\")`) "
    "in a file that logs no artifact to a registry.",
    why="Each run overwrites the last model under the same name: there is no record of which data "
    "and code produced the file being served, and no earlier version to roll back to. Log the "
    "model to a registry (MLflow, W&B, DVC) or at least write it under a versioned path.",
    bad='joblib.dump(model, "model.pkl")',
    good='mlflow.sklearn.log_model(model, "model")',
    # The red flags "no rollback capability" applies as well; one is shown.
    on_by_default=False,
    opt_in_reason="Book and course notebooks save a model file for the next lesson, where a registry would "
    "be noise: on the ecosystem corpus most of its findings were per the rule but noise. Select it for "
    "projects that ship models.",
)
REGISTRY_CALL = re.compile(
    r"^mlflow\.(.+\.)?(log_model|log_artifacts?|autolog|register_model)$|^wandb\.(.+\.)?(log_artifact|Artifact|log_model)$"
)
MODEL_LIBRARIES = ("sklearn", "xgboost", "lightgbm", "catboost", "imblearn", "keras", "tensorflow", "torch",
                   "transformers", "statsmodels")
TRAINING_METHODS = {"fit", "partial_fit", "fit_transform", "fit_predict", "compile", "train", "state_dict",
                    "parameters"}
KERAS_SAVE_MODEL = re.compile(r"^(keras|tensorflow\.keras|tf_keras)\.(models|saving)\.save_model$")
PATH_KEYWORDS = ("filepath", "fname", "filename", "path", "f", "file")
TRAINING_STATE = re.compile(r"optim|sched|scaler|opt$", re.IGNORECASE)
SAVE_FUNCTIONS = {"joblib.dump", "sklearn.externals.joblib.dump", "pickle.dump", "dill.dump", "cloudpickle.dump",
                  "torch.save"}
# Classes of model libraries that hold data, not a model.
DATA_CLASSES = {"DMatrix", "QuantileDMatrix", "DeviceQuantileDMatrix", "Dataset", "Pool", "DataLoader",
                "TensorDataset", "Tensor", "FloatTensor", "LongTensor", "Generator", "Variable"}
SPLITTERS = re.compile(r"^sklearn\.model_selection\.(?!.*SearchCV$)")


@UNVERSIONED_ARTIFACT.checker
def check_unversioned_artifact(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any("joblib", "pickle", "torch", "keras", "tensorflow", "xgboost", "lightgbm",
                             "catboost", "sklearn", "dill", "cloudpickle", "tf_keras", "transformers", "trl"):
        return
    saves = list(model_saves(model))
    if not saves or logs_to_registry(model):
        return
    trained = TrainedModels(model)
    for chunk, call, saved, path in saves:
        if fixed_path(model, path) and trained.is_model(saved):
            yield rule.finding(model, call, "the model is saved to a fixed file name and logged to no "
                               "registry: each run overwrites it and nothing records which run produced "
                               "it", chunk=chunk)


def model_saves(model: ModuleModel):
    """(chunk, call, saved object, path argument) of every call that writes an object to a file."""
    dumps = model.calls_matching(lambda name: name in SAVE_FUNCTIONS or KERAS_SAVE_MODEL.match(name) is not None)
    for chunk, call, _ in dumps:
        saved, path = argument(call, 0), path_argument(call, 1)
        if saved is not None and path is not None:
            yield chunk, call, saved, path
    # `model.save("model.h5")`, `trainer.save_model("out")`, `model.save_weights("w.h5")`
    for chunk, call in model.method_calls("save", "save_model", "save_weights"):
        if isinstance(call.func.value, ast.Name) and model.resolve(call.func.value) is None:
            path = path_argument(call, 0)
            if path is not None:
                yield chunk, call, call.func.value, path


def path_argument(call: ast.Call, position: int):
    for name in PATH_KEYWORDS:
        if (value := keyword(call, name)) is not None:
            return value
    return argument(call, position)


def logs_to_registry(model: ModuleModel) -> bool:
    if model.imports_any("dvc", "dvclive"):
        return True
    if any(True for _ in model.calls_matching(lambda name: REGISTRY_CALL.match(name) is not None)):
        return True
    if pushes_to_hub(model):
        return True
    # `run = wandb.init(); run.log_artifact(...)`
    return model.imports_any("wandb", "mlflow") and any(
        True for _ in model.method_calls("log_artifact", "log_model"))


def pushes_to_hub(model: ModuleModel) -> bool:
    """`TrainingArguments(push_to_hub=True)` / `Trainer(..., push_to_hub=True)`: the hub keeps
    every pushed version of the model, with the commit that produced it."""
    return any(keyword_constant(call, "push_to_hub") is True
               for _, call, _ in model.calls_matching(lambda name: name.startswith(("transformers.", "trl."))))


def fixed_path(model: ModuleModel, path: ast.AST) -> bool:
    """A string literal, or `open("literal", ...)` (pickle.dump writes to a file object)."""
    if isinstance(path, ast.Constant):
        return isinstance(path.value, str)
    if isinstance(path, ast.Call) and model.call_name(path) == "builtins.open":
        return fixed_path(model, argument(path, 0, "file") or ast.Name("?"))
    if isinstance(path, ast.Name):
        return model_opened_file(model, path)
    return False


def model_opened_file(model: ModuleModel, name: ast.Name) -> bool:
    """`with open("m.pkl", "wb") as f:` binds `f` to a fixed path."""
    for ancestor_with in enclosing_withs(name):
        for item in ancestor_with.items:
            if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name.id:
                return fixed_path(model, item.context_expr) if isinstance(item.context_expr, ast.Call) else False
    return False


def enclosing_withs(node: ast.AST):
    return [a for a in ancestors(node) if isinstance(a, (ast.With, ast.AsyncWith))]


class TrainedModels:
    """Which expressions are trained models: names bound from a model library's class (or
    from `.fit(...)`), names that are fitted/compiled/trained, `x.state_dict()`, a search's
    `best_estimator_`. Precision first: anything else (a dict of metrics, an array) is not."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self._names: dict[str, bool] = {}  # asked lazily: a file saves few objects
        self._trained: set[str] | None = None  # receivers of a training method
        self._assigned: dict[str, list[ast.expr]] | None = None  # name -> values assigned to it

    def is_model_name(self, name: str) -> bool:
        if name not in self._names:
            self.index()
            self._names[name] = name not in self.model.imports and (
                name in self._trained or any(self.is_model_constructor(v) for v in self._assigned.get(name, ())))
        return self._names[name]

    def index(self) -> None:
        """One pass over the module's assignments and training calls, on the first question:
        asking about every name must stay linear in the module's size."""
        if self._trained is not None:
            return
        self._trained = {call.func.value.id for _, call in self.model.method_calls(*TRAINING_METHODS)
                         if isinstance(call.func.value, ast.Name)}
        self._assigned = {}
        for _, assign in self.model.nodes(ast.Assign):
            for target in assign.targets:
                if isinstance(target, ast.Name):
                    self._assigned.setdefault(target.id, []).append(assign.value)

    def is_model_constructor(self, value) -> bool:
        if not isinstance(value, ast.Call):
            return False
        name = self.model.call_name(value)
        if name is None:
            return method_name(value) == "fit"  # `clf = Pipeline(...).fit(X, y)`
        parts = name.split(".")
        if parts[0] not in MODEL_LIBRARIES or parts[-1] in DATA_CLASSES or SPLITTERS.match(name):
            return False
        if parts[0] == "torch":
            return name.startswith("torch.nn.")  # torch.Tensor(...) is data
        if parts[0] == "tensorflow":
            return name.startswith("tensorflow.keras.")
        if parts[-1] == "train":  # xgb.train / lgb.train return a Booster
            return parts[0] in ("xgboost", "lightgbm", "catboost")
        return parts[-1][:1].isupper() or parts[-1] == "make_pipeline"

    def is_model(self, expr) -> bool:
        if isinstance(expr, ast.Name):
            return self.is_model_name(expr.id)
        if isinstance(expr, ast.Attribute):
            return expr.attr == "best_estimator_"
        if isinstance(expr, ast.Call):  # `net.state_dict()`, not the optimizer's or scheduler's
            return method_name(expr) == "state_dict" and not TRAINING_STATE.search(dotted_name(expr.func.value) or "")
        if isinstance(expr, ast.Dict):  # a checkpoint: {"model": net.state_dict(), ...}
            return any(value is not None and self.is_model(value) for value in expr.values)
        return False
