"""ML5: model serving and artifacts. What is loaded, from where, and how it is saved."""

from __future__ import annotations

import ast
import re

from ..core.calls import argument, has_keyword, has_star_kwargs, keyword, keyword_constant, method_name
from ..core.facts import ancestors, dotted_name
from ..core.findings import Fix, Severity
from ..core.rules import Rule

AREA = "Model Serving"

# ----- ML501 unsafe-deserialization ----------------------------------------------------------

UNSAFE_DESERIALIZATION = Rule(
    code="ML501",
    name="unsafe-deserialization",
    severity=Severity.WARNING,
    principle="Versioning/Monitoring",
    area=AREA,
    summary="A model or data object is loaded by unpickling (`pickle.load`, `joblib.load`, "
    "`torch.load` without `weights_only=True`, `yaml.load` without a safe Loader, ...).",
    why="Unpickling runs whatever code the file tells it to: a model file swapped on disk, in a "
    "bucket or on the hub executes on the serving host with its credentials. Weights-only and "
    "safe loaders read the data without running code, and they also refuse files that were not "
    "produced the way the serving code expects.",
    bad='model = torch.load("model.pt")\nconfig = yaml.load(fh)',
    good='model = torch.load("model.pt", weights_only=True)\nconfig = yaml.safe_load(fh)',
    fix_title="Load without running code (weights_only=True / yaml.safe_load)",
)

UNPICKLERS = {
    "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads",
    "dill.load", "dill.loads", "cloudpickle.load", "cloudpickle.loads",
    "joblib.load", "sklearn.externals.joblib.load", "pandas.read_pickle",
}
YAML_LOADS = {"yaml.load", "yaml.load_all"}
SAFE_YAML_LOADERS = {
    "yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader", "yaml.CBaseLoader",
    "yaml.loader.SafeLoader", "yaml.loader.BaseLoader", "yaml.cyaml.CSafeLoader", "yaml.cyaml.CBaseLoader",
}
KERAS_LOADERS = re.compile(r"^(keras|tensorflow\.keras|tf_keras)\.(models|saving)\.load_model$")


@UNSAFE_DESERIALIZATION.checker
def check_unsafe_deserialization(model, rule):
    if not model.imports_any("pickle", "_pickle", "dill", "cloudpickle", "joblib", "sklearn", "pandas",
                             "numpy", "torch", "yaml", "keras", "tensorflow", "tf_keras"):
        return
    for chunk, call, name in model.calls_matching(is_loader_name):
        finding = unsafe_load(model, rule, chunk, call, name)
        if finding is not None:
            yield finding


def is_loader_name(name: str) -> bool:
    return (name in UNPICKLERS or name in YAML_LOADS or name in ("numpy.load", "torch.load")
            or KERAS_LOADERS.match(name) is not None)


def unsafe_load(model, rule, chunk, call: ast.Call, name: str):
    if name in UNPICKLERS:
        if is_round_trip(model, call):
            return None
        return rule.finding(model, call, f"`{model.text_of(chunk, call.func)}` unpickles the file: loading it runs any code it "
                            "contains; load only files you produced, or use a format without code "
                            "(safetensors, ONNX, skops)", chunk=chunk, fixable=False)
    if name == "numpy.load":
        if keyword_constant(call, "allow_pickle", False) is True:
            return rule.finding(model, call, "`numpy.load(allow_pickle=True)` unpickles object arrays: "
                                "loading runs any code the file contains", chunk=chunk, fixable=False)
        return None
    if name == "torch.load":
        return torch_load(model, rule, chunk, call)
    if name in YAML_LOADS:
        return yaml_load(model, rule, chunk, call, name)
    if keyword_constant(call, "safe_mode", True) is False:
        return rule.finding(model, call, "`load_model(safe_mode=False)` deserializes Python lambdas "
                            "from the file: loading runs code it contains", chunk=chunk, fixable=False)
    return None


def is_round_trip(model, call: ast.Call) -> bool:
    """`pickle.loads(pickle.dumps(x))`: a deep copy (or picklability check) of our own object."""
    inner = argument(call, 0)
    return isinstance(inner, ast.Call) and (model.call_name(inner) or "").endswith("dumps")


def torch_load(model, rule, chunk, call: ast.Call):
    weights_only = keyword_constant(call, "weights_only", None)
    if weights_only is False:
        return rule.finding(model, call, "`torch.load(weights_only=False)` unpickles the file: loading "
                            "runs any code it contains", chunk=chunk, severity="error", fix="weights_only")
    if weights_only is None and not has_star_kwargs(call):
        return rule.finding(model, call, "`torch.load` without `weights_only=True` unpickles the file "
                            "on torch < 2.6: pass `weights_only=True`", chunk=chunk, severity="information",
                            fix="weights_only")
    return None


def yaml_load(model, rule, chunk, call: ast.Call, name: str):
    loader = argument(call, 1, "Loader")
    if loader is None and has_star_kwargs(call):
        return None
    if loader is not None:
        qualname = model.resolve(loader)
        if qualname is None or qualname in SAFE_YAML_LOADERS or not qualname.startswith("yaml."):
            return None  # a safe loader, or one we cannot see (precision first)
    written = model.text_of(chunk, call.func)
    safe = "yaml.safe_" + name.rsplit(".", 1)[1]
    # `yaml.load` -> `yaml.safe_load` keeps the module alias; a bare imported `load` has no safe twin in scope.
    data = {"fix": "safe_load"} if isinstance(call.func, ast.Attribute) else {"fixable": False}
    return rule.finding(model, call, f"`{written}` without a safe Loader can construct arbitrary Python "
                        f"objects: use `{safe}`", chunk=chunk, **data)


@UNSAFE_DESERIALIZATION.fixer
def fix_unsafe_deserialization(text, finding):
    import libcst as cst

    from ..fixes.cst import StatementPatch, set_keyword

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span)
    if call is None:
        return None
    if finding.data["fix"] == "weights_only":
        edit = patch.replace(call, set_keyword(call, "weights_only", "True"))
        # A fully pickled model (not a state dict) no longer loads with weights_only=True.
        return Fix("Pass weights_only=True", (edit,), applicability="unsafe")
    if not isinstance(call.func, cst.Attribute):
        return None
    stream_only = [arg for index, arg in enumerate(call.args)
                   if not (arg.keyword and arg.keyword.value == "Loader") and not (index == 1 and arg.keyword is None)]
    if stream_only:  # the last argument's comma (or none) ends the call as before: no `safe_load(fh, )`
        stream_only[-1] = stream_only[-1].with_changes(comma=call.args[-1].comma)
    safe_name = "safe_" + call.func.attr.value  # load -> safe_load, load_all -> safe_load_all
    new = call.with_changes(func=call.func.with_changes(attr=cst.Name(safe_name)), args=stream_only)
    return Fix(f"Use yaml.{safe_name}", (patch.replace(call, new),))


# ----- ML502 trust-remote-code ---------------------------------------------------------------

TRUST_REMOTE_CODE = Rule(
    code="ML502",
    name="trust-remote-code",
    severity=Severity.WARNING,
    principle="Versioning/Monitoring",
    area=AREA,
    summary="`trust_remote_code=True` is passed to a Hugging Face loader (`from_pretrained`, "
    "`pipeline`, `load_dataset`, ...).",
    why="The loader downloads Python files from the hub repository and runs them in your process. "
    "Whoever can push to that repository (or take it over) runs code on your training or serving "
    "machine, and an unpinned repository can change that code at any time.",
    bad='model = AutoModel.from_pretrained("org/model", trust_remote_code=True)',
    good='model = AutoModel.from_pretrained("org/model", revision="<reviewed commit sha>")',
)

HF_ROOTS = ("transformers", "datasets", "huggingface_hub", "diffusers", "sentence_transformers", "peft",
            "optimum", "evaluate", "accelerate", "timm", "open_clip")
HF_METHODS = {"from_pretrained", "from_config"}


def hugging_face_calls(model):
    """(chunk, call, short name) of calls into Hugging Face libraries; a `.from_pretrained`
    method whose receiver we cannot resolve counts in a file that imports one of them."""
    for chunk, call, name in model.calls_matching(lambda name: name.split(".", 1)[0] in HF_ROOTS):
        yield chunk, call, name.rsplit(".", 1)[-1]
    for chunk, call in model.method_calls(*HF_METHODS):
        if model.call_name(call) is None:
            yield chunk, call, call.func.attr


@TRUST_REMOTE_CODE.checker
def check_trust_remote_code(model, rule):
    if not model.imports_any(*HF_ROOTS):
        return
    for chunk, call, short in hugging_face_calls(model):
        if is_local_path(argument(call, 0)):
            continue  # the code comes from a folder on this machine, not from the hub
        for kw in call.keywords:
            if kw.arg == "trust_remote_code" and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                yield rule.finding(model, kw, f"`{short}(trust_remote_code=True)` downloads and runs Python "
                                   "code from the hub repository", chunk=chunk)


# ----- ML503 unpinned-pretrained -------------------------------------------------------------

UNPINNED_PRETRAINED = Rule(
    code="ML503",
    name="unpinned-pretrained",
    severity=Severity.INFORMATION,
    principle="Versioning",
    area=AREA,
    red_flag="unversioned models or data",
    summary="A model or dataset is fetched from the Hugging Face hub or torch.hub by name "
    "(`org/name`) without pinning a revision.",
    why="A hub name points at whatever the owner pushed last. Weights, tokenizer or data can "
    "change under the same name, so last month's results cannot be reproduced and a serving "
    "restart may pick up a different model. Pin `revision=` to a commit (or `owner/repo:tag`).",
    bad='model = AutoModel.from_pretrained("org/model")',
    good='model = AutoModel.from_pretrained("org/model", revision="3f1c2b7")',
)

HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
FILE_SUFFIX = re.compile(r"\.(csv|tsv|jsonl?|parquet|arrow|txt|pt|pth|bin|safetensors|pkl|h5|onnx|zip|gz|tar)$",
                         re.IGNORECASE)
# `data/train` is a folder next to the script far more often than a hub organisation.
LOCAL_FOLDERS = {"data", "dataset", "datasets", "model", "models", "checkpoint", "checkpoints", "ckpt", "ckpts",
                 "output", "outputs", "runs", "results", "artifacts", "saved_model", "saved_models", "trained_models",
                 "pretrained", "pretrained_models", "weights", "logs", "experiments", "save", "saved", "tmp", "cache",
                 "work_dirs", "assets", "resources"}


def is_local_path(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith((".", "/", "~"))


def is_hub_id(node) -> bool:
    """A literal `org/name` (not a local path, not a variable, not `csv`)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    value = node.value
    return (HUB_ID.match(value) is not None and FILE_SUFFIX.search(value) is None
            and value.split("/")[0].lower() not in LOCAL_FOLDERS)


def hub_reference(model, call: ast.Call, short: str):
    """The literal hub id argument of a call that fetches from the hub unpinned, else None."""
    if has_star_kwargs(call) or has_keyword(call, "revision"):
        return None
    if short == "from_pretrained":
        return argument(call, 0, "pretrained_model_name_or_path")
    if short == "pipeline":
        return argument(call, 1, "model")
    if short == "load_dataset":
        return argument(call, 0, "path")
    if short in ("hf_hub_download", "snapshot_download"):
        return argument(call, 0, "repo_id")
    return None


@UNPINNED_PRETRAINED.checker
def check_unpinned_pretrained(model, rule):
    if model.imports_any(*HF_ROOTS):
        for chunk, call, short in hugging_face_calls(model):
            reference = hub_reference(model, call, short)
            if reference is not None and is_hub_id(reference):
                yield rule.finding(model, reference, f"`{short}(\"{reference.value}\")` without `revision=`: "
                                   "the hub name may point at different weights tomorrow", chunk=chunk)
    if model.imports_any("torch"):
        for chunk, call in model.calls("torch.hub.load", "torch.hub.list", "torch.hub.help"):
            repo = argument(call, 0, "repo_or_dir")
            if keyword_constant(call, "source", "github") == "github" and is_hub_id(repo):
                yield rule.finding(model, repo, f"`torch.hub.load(\"{repo.value}\")` without a `:ref` "
                                   "fetches the default branch as it is today: pin `owner/repo:tag`",
                                   chunk=chunk)


# ----- ML504 unversioned-artifact ------------------------------------------------------------

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
def check_unversioned_artifact(model, rule):
    if not model.imports_any("joblib", "pickle", "torch", "keras", "tensorflow", "xgboost", "lightgbm",
                             "catboost", "sklearn", "dill", "cloudpickle", "tf_keras"):
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


def model_saves(model):
    """(chunk, call, saved object, path argument) of every call that writes an object to a file."""
    dumps = model.calls_matching(lambda name: name in SAVE_FUNCTIONS or KERAS_SAVE_MODEL.match(name) is not None)
    for chunk, call, _ in dumps:
        saved, path = argument(call, 0), path_argument(call, 1)
        if saved is not None and path is not None:
            yield chunk, call, saved, path
    for chunk, call in model.method_calls("save", "save_model"):  # `model.save("model.h5")`
        if isinstance(call.func.value, ast.Name) and model.resolve(call.func.value) is None:
            path = path_argument(call, 0)
            if path is not None:
                yield chunk, call, call.func.value, path


def path_argument(call: ast.Call, position: int):
    for name in PATH_KEYWORDS:
        if (value := keyword(call, name)) is not None:
            return value
    return argument(call, position)


def logs_to_registry(model) -> bool:
    if model.imports_any("dvc", "dvclive"):
        return True
    if any(True for _ in model.calls_matching(lambda name: REGISTRY_CALL.match(name) is not None)):
        return True
    # `run = wandb.init(); run.log_artifact(...)`
    return model.imports_any("wandb", "mlflow") and any(
        True for _ in model.method_calls("log_artifact", "log_model"))


def fixed_path(model, path: ast.AST) -> bool:
    """A string literal, or `open("literal", ...)` (pickle.dump writes to a file object)."""
    if isinstance(path, ast.Constant):
        return isinstance(path.value, str)
    if isinstance(path, ast.Call) and model.call_name(path) == "builtins.open":
        return fixed_path(model, argument(path, 0, "file") or ast.Name("?"))
    if isinstance(path, ast.Name):
        return model_opened_file(model, path)
    return False


def model_opened_file(model, name: ast.Name) -> bool:
    """`with open("m.pkl", "wb") as f:` binds `f` to a fixed path."""
    for ancestor_with in enclosing_withs(name):
        for item in ancestor_with.items:
            if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name.id:
                return fixed_path(model, item.context_expr) if isinstance(item.context_expr, ast.Call) else False
    return False


def enclosing_withs(node):
    return [a for a in ancestors(node) if isinstance(a, (ast.With, ast.AsyncWith))]


class TrainedModels:
    """Which expressions are trained models: names bound from a model library's class (or
    from `.fit(...)`), names that are fitted/compiled/trained, `x.state_dict()`, a search's
    `best_estimator_`. Precision first: anything else (a dict of metrics, an array) is not."""

    def __init__(self, model):
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


RULES = [UNSAFE_DESERIALIZATION, TRUST_REMOTE_CODE, UNPINNED_PRETRAINED, UNVERSIONED_ARTIFACT]
