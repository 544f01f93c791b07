"""ML505 fit-in-serving-path."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ...facts.serving import Endpoint, serving_endpoints
from ...model.module_model import ModuleModel
from ...parse.syntax import parent
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA

FIT_IN_SERVING_PATH = Rule(
    code="ML505",
    name="fit-in-serving-path",
    severity=Severity.ERROR,
    principle="Versioning",
    area=AREA,
    red_flag="training-serving skew",
    summary="A request handler calls `fit`/`fit_transform`: the transform is relearned on every request.",
    why="A scaler or encoder fitted inside the handler learns its statistics from the request itself "
    "(often a single row), not from the training data the model saw: the model receives inputs "
    "scaled differently from training, and silently predicts nonsense. Fit once, offline, save the "
    "fitted transform with the model (a Pipeline), and only `transform` at serving time.",
    bad="@app.post(\"/predict\")\ndef predict(item: Item):\n    X = StandardScaler().fit_transform([item.values])\n"
    "    return {\"y\": model.predict(X).tolist()}",
    good="pipeline = joblib.load(\"pipeline.joblib\")  # scaler fitted on the training data\n\n"
    "@app.post(\"/predict\")\ndef predict(item: Item):\n    return {\"y\": pipeline.predict([item.values]).tolist()}",
)

FIT_METHODS = ("fit", "fit_transform")
# A handler that exists to train (`/train`, `def retrain`) is not a serving path.
TRAINING_ENDPOINT = re.compile(r"train|fit|learn|tune|update|refresh", re.IGNORECASE)


@FIT_IN_SERVING_PATH.checker
def check_fit_in_serving_path(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    fits = list(model.method_calls(*FIT_METHODS))
    if not fits:
        return
    endpoints = [endpoint for endpoint in serving_endpoints(model) if endpoint.calls_model and serves(endpoint)]
    if not endpoints:
        return
    for chunk, call in fits:
        endpoint = holding_endpoint(call, endpoints)
        if endpoint is None:
            continue
        method = call.func.attr
        message = (f"`{method}` in the request handler `{endpoint.name}` relearns the transform from each "
                   "request instead of the training data (training-serving skew): fit offline, save it with "
                   "the model and only `transform` here")
        yield rule.finding(model, call, message, chunk=chunk)


def serves(endpoint: Endpoint) -> bool:
    """A prediction handler, not a training endpoint (by its name or its route's path)."""
    function = endpoint.function
    if TRAINING_ENDPOINT.search(function.name):
        return False
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call):
            for argument in [*decorator.args, *(k.value for k in decorator.keywords)]:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str) \
                        and TRAINING_ENDPOINT.search(argument.value):
                    return False
    return True


def holding_endpoint(call: ast.Call, endpoints: list[Endpoint]) -> Endpoint | None:
    """The endpoint whose body holds `call` (the innermost function around it must be the endpoint
    itself: a helper defined inside the handler may be meant for another time)."""
    up = parent(call)
    while up is not None and not isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        up = parent(up)
    return next((endpoint for endpoint in endpoints if endpoint.function is up), None)
