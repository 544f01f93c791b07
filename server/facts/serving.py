"""Serving endpoints: the functions that answer prediction requests (RULES.md ML505, ML506, ML507).

An endpoint is a function decorated as a route of a web or serving framework (Flask, FastAPI,
Starlette, BentoML, Ray Serve, Sanic, ...), a Django view, or the request method of a serving
class (a TorchServe handler, an MLflow `PythonModel`, a KServe model, a gRPC servicer, a Ray
Serve deployment, a BentoML service). Found once per module model and shared by the rules and
the project facts.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..model.module_model import per_version
from ..parse.chunks import Chunk
from ..parse.syntax import parent

SERVING_ROOTS = ("fastapi", "flask", "starlette", "bentoml", "ray", "django", "rest_framework", "sanic", "quart",
                 "aiohttp", "litestar", "tornado", "falcon", "ts", "kserve", "kfserving", "grpc", "seldon_core",
                 "mlserver", "cog", "runpod", "modal")
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "api", "websocket", "deployment",
                              "service", "endpoint"})
SERVING_METHODS = frozenset({"predict", "handle", "inference", "__call__", "preprocess", "postprocess"})
# Bases that make a class a serving class wherever it is written; the looser ones need a serving import.
SERVING_BASES = re.compile(r"BaseHandler|Servicer|PythonModel|KFModel|kserve\.Model")
LOOSE_SERVING_BASES = re.compile(r"Model$|Runnable|Service$")
CLASS_DECORATORS = re.compile(r"deployment|service")
PREDICTING = frozenset({"predict", "predict_proba", "generate", "forward", "transform", "decision_function"})
MODEL_ATTRIBUTES = frozenset({"model", "net", "classifier", "regressor", "estimator", "pipeline"})
DJANGO_ROOTS = ("django", "rest_framework")


@dataclass(frozen=True, slots=True)
class Endpoint:
    chunk: Chunk
    function: ast.FunctionDef | ast.AsyncFunctionDef
    calls_model: bool  # it calls a model or `predict` (ML507's "serves predictions")

    @property
    def name(self) -> str:
        return self.function.name


@per_version
def serving_endpoints(model) -> list[Endpoint]:
    """The module's endpoints in program order, shared by the rules and the project facts."""
    return list(find_endpoints(model))


def find_endpoints(model):
    serving_import = model.imports_any(*SERVING_ROOTS)
    django = model.imports_any(*DJANGO_ROOTS)
    if not serving_import and not has_serving_class(model):
        return
    for chunk, function in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if is_handler(function, serving_import) or (django and is_django_view(function)):
            yield Endpoint(chunk, function, calls_a_model(function))


def has_serving_class(model) -> bool:
    return any(SERVING_BASES.search(ast.unparse(base)) for _, cls in model.nodes(ast.ClassDef) for base in cls.bases)


def is_handler(function, serving_import: bool = True) -> bool:
    if serving_import and any(is_route(decorator) for decorator in function.decorator_list):
        return True
    owner = parent(function)
    if not isinstance(owner, ast.ClassDef):
        return False
    if not function.name.startswith("_") and any("Servicer" in ast.unparse(base) for base in owner.bases):
        return True  # a gRPC servicer's methods are named after its service's RPCs
    return function.name in SERVING_METHODS and is_serving_class(owner, serving_import)


def is_route(decorator: ast.AST) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS


def is_serving_class(owner: ast.ClassDef, serving_import: bool) -> bool:
    bases = [ast.unparse(base) for base in owner.bases]
    if any(SERVING_BASES.search(base) for base in bases):
        return True
    if not serving_import:
        return False
    return any(LOOSE_SERVING_BASES.search(base) for base in bases) or \
        any(CLASS_DECORATORS.search(ast.unparse(decorator)) for decorator in owner.decorator_list)


def is_django_view(function) -> bool:
    """`def predict(request):` or a class-based view's `def post(self, request):`."""
    names = [a.arg for a in function.args.args]
    if names[:1] == ["self"]:
        names = names[1:]
    return names[:1] == ["request"]


def calls_a_model(function) -> bool:
    """`model.predict(x)`, `runner.predict.run(x)`, `model(x)`, or a handler's own `self.net(batch)`."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in PREDICTING | MODEL_ATTRIBUTES \
                    or runs_a_runner(func, PREDICTING):
                return True
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if "model" in name.lower() and not name.startswith(("load", "get", "build", "save")):
                return True
    return False



def runs_a_runner(func: ast.AST, methods) -> bool:
    """A BentoML runner's method: `runner.predict.run(x)`, `await runner.predict.async_run(x)`."""
    return isinstance(func, ast.Attribute) and func.attr in ("run", "async_run") \
        and isinstance(func.value, ast.Attribute) and func.value.attr in methods
