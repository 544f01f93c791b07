"""ML506 unvalidated-prediction-input."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ...facts.serving import Endpoint, runs_a_runner, serving_endpoints
from ...model.module_model import ModuleModel
from ...parse.syntax import parent
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA

UNVALIDATED_PREDICTION_INPUT = Rule(
    code="ML506",
    name="unvalidated-prediction-input",
    severity=Severity.INFORMATION,
    principle="Monitoring",
    area=AREA,
    red_flag="unhandled edge cases",
    summary="A raw request payload reaches `predict` or a model call with no validation in the handler.",
    why="Real traffic sends missing fields, strings for numbers, NaN, wrong shapes and columns in another "
    "order. Passed straight to the model, such input either crashes the handler with an opaque 500 or, "
    "worse, yields a confident prediction from garbage. Validate the payload first: a pydantic model "
    "(a typed FastAPI body), a schema, or explicit checks of columns, shape, types and NaN.",
    bad="@app.route(\"/predict\", methods=[\"POST\"])\ndef predict():\n    data = request.get_json()\n"
    "    return {\"y\": model.predict([data[\"features\"]]).tolist()}",
    good="class Features(BaseModel):\n    values: conlist(float, min_length=4, max_length=4)\n\n"
    "@app.post(\"/predict\")\ndef predict(features: Features):\n"
    "    return {\"y\": model.predict([features.values]).tolist()}",
)

FLASK_REQUESTS = ("flask.request", "quart.request")
# What a framework's request object holds of the raw payload.
FLASK_PAYLOAD = frozenset({"json", "get_json", "form", "values", "args", "data"})
PARAMETER_PAYLOAD = frozenset({"json", "get_json", "body", "POST", "form", "data"})
REQUEST_NAMES = frozenset({"request", "req"})
UNTYPED_DICT = re.compile(r"^(typing\.)?(dict|Dict)(\[.*\])?$")
PREDICT_METHODS = frozenset({"predict", "predict_proba"})
NOT_A_MODEL_CALL = ("load", "get", "build", "save", "create", "init", "make", "set")
VALIDATING = re.compile(r"valid|check|sanitiz|verify|schema|parse_obj|parse_raw|ensure|clean", re.IGNORECASE)


@UNVALIDATED_PREDICTION_INPUT.checker
def check_unvalidated_prediction_input(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    for endpoint in serving_endpoints(model):
        if not endpoint.calls_model:
            continue
        found = unvalidated_model_call(model, endpoint)
        if found is not None:
            call, source = found
            message = (f"the raw request payload `{source}` reaches `{ast.unparse(call.func)}` with no "
                       "validation in the handler: check fields, types, shape and NaN (a pydantic model, a "
                       "schema, explicit checks) before predicting")
            yield rule.finding(model, call, message, chunk=endpoint.chunk)


def unvalidated_model_call(model: ModuleModel, endpoint: Endpoint) -> tuple[ast.Call, str] | None:
    """The first model call fed by the raw payload, unless the handler validates it."""
    function = endpoint.function
    parameters = {a.arg for a in [*function.args.args, *function.args.kwonlyargs]}
    sources = {id(node): payload_label(node) for node in ast.walk(function) if is_payload(model, node, parameters)}
    dict_parameters = untyped_dict_parameters(function)
    if not sources and not dict_parameters:
        return None
    tainted = tainted_names(function, sources, dict_parameters)
    calls = sorted((node for node in ast.walk(function) if isinstance(node, ast.Call) and is_model_call(node)),
                   key=position)
    for call in calls:
        source = payload_in([*call.args, *(k.value for k in call.keywords)], sources, tainted)
        if source is not None:
            return None if validates(function, sources, tainted, before=position(call)) else (call, source)
    return None


def position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def is_payload(model: ModuleModel, node: ast.AST, parameters: set[str]) -> bool:
    """`request.json`, `request.get_json()`, `await request.json()`, `json.loads(request.body)`."""
    if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name):
        return False
    receiver = node.value.id
    if model.resolve(node.value) in FLASK_REQUESTS:
        return node.attr in FLASK_PAYLOAD
    return node.attr in PARAMETER_PAYLOAD and receiver in REQUEST_NAMES and receiver in parameters


def payload_label(node: ast.Attribute) -> str:
    """`request.get_json()` rather than `request.get_json` when the attribute is called."""
    up = parent(node)
    return ast.unparse(up) if isinstance(up, ast.Call) and up.func is node else ast.unparse(node)


def untyped_dict_parameters(function) -> dict:
    """Parameters the framework fills with the JSON body unchecked: annotated as a bare `dict`, or the
    input of a BentoML `@svc.api(input=JSON())` without a `pydantic_model`."""
    found = {}
    arguments = [*function.args.args, *function.args.kwonlyargs]
    for argument in arguments:
        if argument.annotation is not None and UNTYPED_DICT.match(ast.unparse(argument.annotation)):
            found[argument.arg] = f"{argument.arg}: {ast.unparse(argument.annotation)}"
    inputs = [a.arg for a in arguments if a.arg not in ("self", "cls")]
    if inputs and any(untyped_json_input(decorator) for decorator in function.decorator_list):
        found[inputs[0]] = f"{inputs[0]} (JSON() input)"
    return found


def untyped_json_input(decorator: ast.AST) -> bool:
    if not isinstance(decorator, ast.Call):
        return False
    declared = next((k.value for k in decorator.keywords if k.arg == "input"), None)
    return isinstance(declared, ast.Call) and call_identifier(declared.func) == "JSON" \
        and not any(k.arg == "pydantic_model" for k in declared.keywords)


def tainted_names(function, sources: dict, parameters: dict[str, str]) -> dict[str, str]:
    """Local names holding the payload or values derived from it -> the payload they come from."""
    tainted = dict(parameters)
    assignments = [node for node in ast.walk(function) if isinstance(node, (ast.Assign, ast.AnnAssign, ast.For,
                                                                           ast.comprehension, ast.NamedExpr))]
    changed = True
    while changed:
        changed = False
        for node in assignments:
            value = node.iter if isinstance(node, (ast.For, ast.comprehension)) else node.value
            source = payload_in([value], sources, tainted) if value is not None else None
            if source is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and name.id not in tainted:
                        tainted[name.id] = source
                        changed = True
    return tainted


def payload_in(nodes, sources: dict, tainted: dict[str, str]) -> str | None:
    """The payload an expression carries, if any."""
    for root in nodes:
        for node in ast.walk(root):
            if id(node) in sources:
                return sources[id(node)]
            if isinstance(node, ast.Name) and node.id in tainted:
                return tainted[node.id]
    return None


def validates(function, sources: dict, tainted: dict[str, str], before: tuple[int, int]) -> bool:
    """Explicit checks of the payload before the model sees it: a test, an assertion, a rejection, a
    validating call, a schema built from it (`Features(**data)`), or a `try` that handles its failures.
    (Checks after the call test the prediction, which derives from the payload too.)"""
    for node in ast.walk(function):
        if not hasattr(node, "lineno") or position(node) >= before:
            continue
        if isinstance(node, (ast.If, ast.IfExp, ast.While, ast.Assert)) and payload_in([node.test], sources, tainted):
            return True
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Try) and node.handlers and payload_in(node.body, sources, tainted):
            return True
        if isinstance(node, ast.Call) and validating_call(node, sources, tainted):
            return True
    return False


def validating_call(call: ast.Call, sources: dict, tainted: dict[str, str]) -> bool:
    name = call_identifier(call.func)
    if name is None:
        return False
    arguments = [*call.args, *(k.value for k in call.keywords)]
    if name in ("abort", "isinstance") or VALIDATING.search(name):
        return name == "abort" or payload_in(arguments, sources, tainted) is not None
    if name[:1].isupper() and any(k.arg is None for k in call.keywords):  # `Features(**data)`
        return payload_in(arguments, sources, tainted) is not None
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    return receiver is not None and VALIDATING.search(ast.unparse(receiver)) is not None \
        and payload_in(arguments, sources, tainted) is not None  # `schema.load(data)`


def call_identifier(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def is_model_call(call: ast.Call) -> bool:
    """`x.predict(...)`, `x.predict_proba(...)`, `runner.predict.run(...)`, `model(...)`, `self.model(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in PREDICT_METHODS or runs_a_runner(func, PREDICT_METHODS):
        return True
    name = call_identifier(func)
    return name is not None and "model" in name.lower() and not name[:1].isupper() \
        and not name.startswith(NOT_A_MODEL_CALL)
