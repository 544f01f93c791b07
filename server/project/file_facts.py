"""Each file's small project facts (RULES.md "Project scope"): where it trains, evaluates,
tracks, compares a baseline, serves, monitors, saves or documents a model, reads local
data, uses a sensitive attribute, or evaluates per group.

Facts are plain data (JSON round-trip) so the project index can cache them by file
content; they are computed from the module model the engine already builds, reusing
the rules' own detectors (training calls, tracking, evaluation, model saves).
"""

from __future__ import annotations

import ast
import re

from ..parse.syntax import parent
from ..facts.training_calls import first_training_call
from ..diagnostics.serving.ml504_unversioned_artifact import TrainedModels, model_saves
from ..facts.tracking import tracks_experiments
from ..facts.evaluation import EVALUATION_KEYWORDS, evaluates_anywhere, is_evaluation_function, is_prediction
from ..facts.serving import PREDICTING, serving_endpoints
from .model import Evidence, FileFacts


def evidence(model, chunk, node, label: str) -> Evidence:
    span = model.span(chunk, node)
    return Evidence(span.line, span.col, span.end_line, span.end_col, label)


def first(model, found, label: str) -> Evidence | None:
    """Evidence for the first (chunk, node, ...) entry of `found`."""
    for entry in found:
        return evidence(model, entry[0], entry[1], label)
    return None


def compute(model) -> FileFacts:
    facts = FileFacts()
    training = first_training_call(model)
    if training is not None:
        facts.trains = evidence(model, training.chunk, training.call, training.label)
    if evaluates_anywhere(model):
        facts.evaluates = first_evaluation(model) or written_evaluation(model) or first_statement(model, "evaluation")
    else:
        facts.evaluates = other_evaluation(model)
    facts.tracks = tracking(model)
    facts.default_report_trainer = default_report_trainer(model)
    facts.baseline = baseline(model)
    facts.serves = serving_handler(model)
    facts.monitors = monitoring(model, facts.serves)
    facts.saves = model_save(model)
    facts.documents = model_documentation(model)
    facts.reads_data = local_data_reads(model)
    facts.versions_data = data_versioning(model)
    facts.sensitive = sensitive_attributes(model) if facts.trains or model.imports_any("sklearn", "pandas") else []
    facts.per_group = per_group_evaluation(model)
    return facts


def first_statement(model, label: str) -> Evidence | None:
    for chunk, _ in model.parsed:
        if chunk.tree is not None and chunk.tree.body:
            return evidence(model, chunk, chunk.tree.body[0], label)
    return None


# ----- evaluation and baselines ----------------------------------------------------------


def first_evaluation(model) -> Evidence | None:
    candidates = [(chunk, call) for chunk, call, _ in model.calls_matching(is_evaluation_function)]
    candidates += list(model.method_calls("score", "evaluate"))
    candidates.sort(key=lambda entry: (entry[0].absolute_line(entry[1].lineno), entry[1].col_offset))
    return first(model, candidates, "evaluation")


def written_evaluation(model) -> Evidence | None:
    """Where a file evaluates without a library metric: `validation_data=`, `compile(metrics=...)`,
    an `accuracy(...)` helper, predictions compared with labels (`(pred == y).mean()`)."""
    candidates = [(chunk, node.value) for chunk, node in model.nodes(ast.keyword)
                  if node.arg in EVALUATION_KEYWORDS or node.arg == "metrics"]
    candidates += [(chunk, call) for chunk, call in model.nodes(ast.Call)
                   if "accuracy" in getattr(call.func, "attr", getattr(call.func, "id", "")).lower()]
    candidates += [(chunk, compare) for chunk, compare in model.nodes(ast.Compare)
                   if len(compare.ops) == 1 and isinstance(compare.ops[0], ast.Eq)
                   and any(is_prediction(side) for side in (compare.left, compare.comparators[0]))]
    candidates.sort(key=lambda entry: (entry[0].absolute_line(entry[1].lineno), entry[1].col_offset))
    return first(model, candidates, "evaluation")


MODEL_CRITERIA = frozenset({"inertia_", "criterion_", "bic", "aic", "score_samples", "lower_bound_", "oob_score_"})
HELD_OUT = re.compile(r"val|valid|eval|test|dev", re.IGNORECASE)


def other_evaluation(model) -> Evidence | None:
    """RULES.md ML306's evidence beyond the file-level detector: estimators with built-in
    cross-validation (`RidgeCV`), clustering and model-selection criteria (`inertia_`, `bic`),
    `oob_score=True`, `datasets.load_metric`, Lightning `validation_step`/`test_step`, and a
    hand-written validation loop (a loss or prediction under `no_grad` over a validation loader)."""
    found = first(model, model.calls_matching(
        lambda name: name.startswith("sklearn.") and name.endswith("CV") or name == "datasets.load_metric"),
        "built-in cross-validation")
    if found:
        return found
    for chunk, node in model.nodes(ast.Attribute):
        if node.attr in MODEL_CRITERIA:
            return evidence(model, chunk, node, f"model criterion {node.attr}")
    for chunk, node in model.nodes(ast.keyword):
        if node.arg == "oob_score" and isinstance(node.value, ast.Constant) and node.value.value is True:
            return evidence(model, chunk, node.value, "oob_score=True")
    for chunk, function in model.nodes(ast.FunctionDef):
        if function.name in ("validation_step", "test_step"):
            return evidence_of_def(model, chunk, function)
    return validation_loop(model)


def validation_loop(model) -> Evidence | None:
    """`for x, y in val_loader:` under `torch.no_grad()` computing a loss or predictions."""
    for chunk, loop in model.nodes(ast.For):
        if not any(isinstance(n, ast.Name) and HELD_OUT.search(n.id) for n in ast.walk(loop.iter)):
            continue
        if in_no_grad(loop) or any(isinstance(n, ast.With) and is_no_grad(n) for n in ast.walk(loop)):
            return evidence(model, chunk, loop.iter, "validation loop")
    return None


def is_no_grad(block: ast.With) -> bool:
    return any("no_grad" in ast.unparse(item.context_expr) or "inference_mode" in ast.unparse(item.context_expr)
               for item in block.items)


def in_no_grad(node: ast.AST) -> bool:
    up = parent(node)
    while up is not None and not isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        if isinstance(up, ast.With) and is_no_grad(up):
            return True
        up = parent(up)
    return False


BASELINE_CLASSES = ("sklearn.dummy.DummyClassifier", "sklearn.dummy.DummyRegressor")
BASELINE_NAME = re.compile(r"baseline|dummy|majority|most_frequent|chance", re.IGNORECASE)


def baseline(model) -> Evidence | None:
    """A dummy estimator, a name or logged metric mentioning a baseline, or two models compared."""
    found = first(model, model.calls(*BASELINE_CLASSES), "dummy estimator")
    if found:
        return found
    for chunk, node in model.chunk_scan(baseline_words):
        return evidence(model, chunk, node, "baseline")
    models = {name for _, _, name in model.calls_matching(is_model_class)}
    if len(models) >= 2 and evaluates_anywhere(model):
        return first(model, model.calls_matching(is_model_class), "models compared")
    return None


def baseline_words(facts) -> list[ast.AST]:
    """The chunk's first name, else first string, that mentions a baseline."""
    for node_type in (ast.Name, ast.Constant):
        for node in facts.by_type.get(node_type, ()):
            text = node.id if node_type is ast.Name else node.value
            if isinstance(text, str) and len(text) < 60 and BASELINE_NAME.search(text):
                return [node]
    return []


def is_model_class(qualname: str) -> bool:
    """An estimator that can be compared with another (a search or a pipeline wraps one)."""
    from ..facts.training_calls import PIPELINES, is_library_model, is_sklearn_model

    if qualname.endswith("SearchCV") or qualname in PIPELINES:
        return False
    return is_library_model(qualname) or is_sklearn_model(qualname)


# ----- tracking ------------------------------------------------------------------------------

LIGHTNING_TRAINERS = ("pytorch_lightning.Trainer", "lightning.Trainer", "lightning.pytorch.Trainer",
                      "pytorch_lightning.trainer.Trainer", "lightning.pytorch.trainer.Trainer")
HF_TRAINERS = re.compile(r"^transformers\.(\w+\.)*\w*Trainer$")
NO_REPORT = ("none", "None")


def tracking(model) -> Evidence | None:
    if tracks_experiments(model):
        return first_tracker(model) or first_statement(model, "tracker imported")
    for chunk, call in model.calls(*LIGHTNING_TRAINERS):  # Lightning logs to TensorBoard/CSV by default
        logger = keyword(call, "logger")
        if not (isinstance(logger, ast.Constant) and logger.value in (False, None)):
            return evidence(model, chunk, call, "Lightning Trainer logger")
    for chunk, call, _ in model.calls_matching(lambda name: name.startswith("accelerate.") and name.endswith("Accelerator")):
        if keyword(call, "log_with") is not None:
            return evidence(model, chunk, call, "Accelerate log_with")
    if found := first(model, model.method_calls("init_trackers"), "Accelerate init_trackers"):
        return found
    for chunk, call in hf_training_arguments(model):
        report_to = keyword(call, "report_to")
        if report_to is not None and not reports_nothing(report_to):
            return evidence(model, chunk, call, "Trainer report_to")
    return None


def first_tracker(model) -> Evidence | None:
    from ..facts.tracking import TRACKER_ROOTS, is_tracker

    for fact in model.import_facts:
        if fact.qualname.split(".")[0] in TRACKER_ROOTS or is_tracker(fact.qualname):
            return evidence(model, model.chunk_of(fact.node), fact.node, f"imports {fact.qualname}")
    return first(model, model.calls_matching(is_tracker), "tracker")


def hf_training_arguments(model):
    return ((chunk, call) for chunk, call, _ in model.calls_matching(
        lambda name: name.startswith("transformers.") and name.endswith("TrainingArguments")))


def reports_nothing(value: ast.AST) -> bool:
    if isinstance(value, ast.Constant):
        return value.value in NO_REPORT or value.value is None
    return isinstance(value, (ast.List, ast.Tuple)) and not value.elts


def default_report_trainer(model) -> Evidence | None:
    """A Trainer whose arguments leave `report_to` at its default (version dependent)."""
    if not any(True for _ in model.calls_matching(lambda name: HF_TRAINERS.match(name) is not None)):
        return None
    arguments = list(hf_training_arguments(model))
    if arguments and all(keyword(call, "report_to") is not None for _, call in arguments):
        return None
    return first(model, model.calls_matching(lambda name: HF_TRAINERS.match(name) is not None), "Trainer default report_to")


def keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


# ----- serving and monitoring ------------------------------------------------------------

MONITORING_ROOTS = ("prometheus_client", "statsd", "datadog", "ddtrace", "opentelemetry", "evidently", "whylogs",
                    "nannyml", "alibi_detect", "deepchecks", "arize", "fiddler", "aporia", "sentry_sdk")
LOG_METHODS = frozenset({"info", "debug", "warning", "log", "exception"})


def serving_handler(model) -> Evidence | None:
    for endpoint in serving_endpoints(model):
        if endpoint.calls_model:
            return evidence_of_def(model, endpoint.chunk, endpoint.function)
    return None


def evidence_of_def(model, chunk, function) -> Evidence:
    line = chunk.absolute_line(function.lineno)
    col = model.line_text(line).find(function.name)
    return Evidence(line, max(col, 0), line, max(col, 0) + len(function.name), f"handler {function.name}")


def monitoring(model, handler: Evidence | None) -> Evidence | None:
    for fact in model.import_facts:
        root = fact.qualname.split(".")[0]
        if root in MONITORING_ROOTS or fact.qualname.startswith(("mlflow.tracing", "mlflow.trace")):
            return evidence(model, model.chunk_of(fact.node), fact.node, f"imports {fact.qualname}")
    for chunk, node in model.chunk_scan(tracing_attributes):
        if model.resolve(node.value) in ("mlflow", "mlflow.tracing"):
            return evidence(model, chunk, node, "mlflow tracing")
    return logged_prediction(model) if handler else None


def tracing_attributes(facts) -> list[ast.Attribute]:
    return [node for node in facts.by_type.get(ast.Attribute, ()) if node.attr in ("trace", "start_span")]


def logged_prediction(model) -> Evidence | None:
    """A logging call in a serving handler that records the prediction or its inputs."""
    for endpoint in serving_endpoints(model):
        chunk, function = endpoint.chunk, endpoint.function
        recorded = prediction_names(function) | {a.arg for a in function.args.args if a.arg not in ("self", "cls")}
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in LOG_METHODS and mentions(node, recorded):
                return evidence(model, chunk, node, "prediction logged")
    return None


def prediction_names(function) -> set[str]:
    """Names the handler assigns from a model call (`probability = float(model.predict_proba(row)[0, 1])`)."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
                isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in PREDICTING
                for call in ast.walk(node.value)):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


def mentions(call: ast.Call, recorded: set[str]) -> bool:
    names = {n.id for arg in [*call.args, *(k.value for k in call.keywords)]
             for n in ast.walk(arg) if isinstance(n, ast.Name)}
    return bool(names & recorded) or any(word in name.lower() for name in names for word in ("pred", "output"))


# ----- saved and documented models ---------------------------------------------------------

SAVE_METHODS = ("save_pretrained", "push_to_hub", "save_model", "log_model", "register_model")
CARD_NAMES = re.compile(r"(^|\.)(ModelCard|ModelCardData|create_model_card)$")


def model_save(model) -> Evidence | None:
    trained = TrainedModels(model)  # ML504's judgement: a dumped dict of results is not a model
    saves = [(chunk, call) for chunk, call, saved, _ in model_saves(model) if trained.is_model(saved)]
    saves += [(chunk, call) for chunk, call, _ in model.calls_matching(
        lambda name: name.startswith("mlflow.") and name.endswith(("log_model", "register_model"))
        or name == "torch.onnx.export")]
    saves += [(chunk, call) for chunk, call in model.method_calls("save_pretrained", "push_to_hub")]
    saves.sort(key=lambda entry: (entry[0].absolute_line(entry[1].lineno), entry[1].col_offset))
    return first(model, saves, "model saved")


def model_documentation(model) -> Evidence | None:
    found = first(model, model.calls_matching(lambda name: CARD_NAMES.search(name) is not None), "model card")
    if found:
        return found
    for chunk, call in model.method_calls("push_to_hub", "create_model_card"):
        if isinstance(call.func.value, ast.Name) and "trainer" in call.func.value.id.lower():
            return evidence(model, chunk, call, "Trainer.push_to_hub writes a model card")
    return None


# ----- data ---------------------------------------------------------------------------------

DATA_READERS = re.compile(r"^(pandas\.read_(csv|parquet|json|excel|feather|table|pickle|orc)|numpy\.(load|loadtxt|genfromtxt)"
                          r"|polars\.read_\w+|builtins\.open)$")
DATA_SUFFIX = re.compile(r"\.(csv|tsv|parquet|json|jsonl|xlsx?|feather|npy|npz|txt|pkl|arrow|h5|orc)$", re.IGNORECASE)
VERSIONING_ROOTS = ("dvc", "lakefs", "lakefs_client", "deltalake", "datahub", "hashlib")


def local_data_reads(model) -> list[Evidence]:
    reads = []
    for chunk, call, name in model.calls_matching(lambda name: DATA_READERS.match(name) is not None):
        path = literal_path(call.args[0] if call.args else None)
        if path and (name != "builtins.open" or DATA_SUFFIX.search(path)) and not is_write(call):
            reads.append(evidence(model, chunk, call, path))
    for chunk, call, _ in model.calls_matching(lambda name: name == "datasets.load_dataset"):
        files = keyword(call, "data_files")
        paths = [literal_path(node) for node in ast.walk(files)] if files is not None else []
        if any(paths):
            reads.append(evidence(model, chunk, call, next(p for p in paths if p)))
    return reads


def literal_path(node) -> str | None:
    """A relative file path written as a literal (not a URL, an absolute path or a folder of the user's)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    path = node.value
    if "://" in path or path.startswith(("/", "~", "s3:", "gs:")) or not DATA_SUFFIX.search(path):
        return None
    return path


def is_write(call: ast.Call) -> bool:
    mode = call.args[1] if len(call.args) > 1 else keyword(call, "mode")
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(c in mode.value for c in "wax")


def data_versioning(model) -> Evidence | None:
    for fact in model.import_facts:
        if fact.qualname.split(".")[0] in VERSIONING_ROOTS or fact.qualname.startswith("mlflow.data"):
            return evidence(model, model.chunk_of(fact.node), fact.node, f"imports {fact.qualname}")
    return first(model, model.calls_matching(lambda name: name.startswith("mlflow.data.")), "mlflow.data")


# ----- sensitive attributes -----------------------------------------------------------------

PROTECTED = ("gender", "sex", "race", "ethnicity", "religion", "age", "nationality", "marital_status",
             "disability")
PROTECTED_NAME = re.compile(r"^(is_|applicant_|customer_|person_|client_)?(" + "|".join(PROTECTED) +
                            r"|male|female|ethnic_group|marital|citizenship|native_country)$")
FAIRNESS_ROOTS = ("fairlearn", "aif360", "aequitas", "responsibleai", "raiwidgets", "witwidget", "fairness_indicators")
DROPPING = frozenset({"drop", "pop", "remove", "difference"})


def protected_attribute(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > 30:
        return None
    match = PROTECTED_NAME.match(value.strip().lower().replace(" ", "_").replace("-", "_"))
    return match.group(2) if match else None


def sensitive_attributes(model) -> list[Evidence]:
    """Protected column names used to select features or rows (`df["sex"]`, `X[["age", ...]]`),
    the first use of each; not where the column is dropped."""
    found: dict[str, Evidence] = {}
    for chunk, node in model.chunk_scan(protected_columns):
        attribute = protected_attribute(node.value)
        if attribute not in found:
            found[attribute] = evidence(model, chunk, node, attribute)
    return list(found.values())


def protected_columns(facts) -> list[ast.Constant]:
    return [node for node in facts.by_type.get(ast.Constant, ())
            if protected_attribute(node.value) is not None and selects_columns(node)]


FRAME_NAME = re.compile(r"^(x|df|data|dataset|frame|train|test|features?|feats)(_\w+)?$", re.IGNORECASE)
FEATURE_LIST_NAME = re.compile(r"feature|column|cols|predictors|inputs", re.IGNORECASE)


def selects_columns(node: ast.AST) -> bool:
    """The literal selects a model's columns or rows: `df["sex"]`, `X[["age", "income"]]`,
    `usecols=[...]`, or a list of feature names (`features = ["age", "income"]`)."""
    up = parent(node)
    in_list = isinstance(up, (ast.List, ast.Tuple))
    container = up
    if in_list:
        up = parent(up)
    if isinstance(up, ast.Subscript):
        return in_list or (isinstance(up.value, ast.Name) and FRAME_NAME.match(up.value.id) is not None)
    if isinstance(up, ast.keyword) and up.arg in ("columns", "usecols") and in_list:
        call = parent(up)
        return not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in DROPPING)
    if in_list and isinstance(up, ast.Assign) and len(container.elts) >= 2:
        return any(isinstance(t, ast.Name) and FEATURE_LIST_NAME.search(t.id) for t in up.targets)
    return False


def per_group_evaluation(model) -> list[Evidence]:
    groups = []
    for fact in model.import_facts:
        if fact.qualname.split(".")[0] in FAIRNESS_ROOTS:
            groups.append(evidence(model, model.chunk_of(fact.node), fact.node, "*"))
            break
    for chunk, call in model.method_calls("groupby"):
        for argument in [*call.args, *(k.value for k in call.keywords if k.arg == "by")]:
            for node in ast.walk(argument):
                if isinstance(node, ast.Constant) and (attribute := protected_attribute(node.value)):
                    groups.append(evidence(model, chunk, call, attribute))
    return groups
