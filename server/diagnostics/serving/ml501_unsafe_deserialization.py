"""ML501 unsafe-deserialization."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from ...model.calls import argument, has_star_kwargs, keyword_constant
from ...model.module_model import ModuleModel, program_order
from ...parse.chunks import Chunk
from ...parse.syntax import ancestors
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA

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
    on_by_default=False,
    opt_in_reason="On real code most unpickling loads the project's own model or data, written by its own "
    "training script: on the ecosystem corpus 41% of its findings were per the rule but noise. Select it "
    "where files from outside (uploads, downloads, shared drives) are loaded.",
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
def check_unsafe_deserialization(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
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


def unsafe_load(model: ModuleModel, rule: Rule, chunk: Chunk, call: ast.Call, name: str):
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


def is_round_trip(model: ModuleModel, call: ast.Call) -> bool:
    """`pickle.loads(pickle.dumps(x))`: a deep copy (or picklability check) of our own object."""
    inner = argument(call, 0)
    return isinstance(inner, ast.Call) and (model.call_name(inner) or "").endswith("dumps")


def torch_load(model: ModuleModel, rule: Rule, chunk: Chunk, call: ast.Call):
    weights_only = keyword_constant(call, "weights_only", None)
    if weights_only is False:
        return rule.finding(model, call, "`torch.load(weights_only=False)` unpickles the file: loading "
                            "runs any code it contains", chunk=chunk, severity="error", fix="weights_only")
    if weights_only is None and not has_star_kwargs(call) and not allow_listed(model, chunk, call):
        return rule.finding(model, call, "`torch.load` without `weights_only=True` unpickles the file "
                            "on torch < 2.6: pass `weights_only=True`", chunk=chunk, severity="information",
                            fix="weights_only")
    return None


SAFE_GLOBALS = ("torch.serialization.safe_globals", "torch.serialization.add_safe_globals")


def allow_listed(model: ModuleModel, chunk: Chunk, call: ast.Call) -> bool:
    """Inside `with torch.serialization.safe_globals([...])`, or after `add_safe_globals([...])`:
    the file loads with the weights-only unpickler and lists the classes it trusts (torch >= 2.5)."""
    for up in ancestors(call):
        if isinstance(up, (ast.With, ast.AsyncWith)) and any(
                isinstance(item.context_expr, ast.Call) and model.call_name(item.context_expr) == SAFE_GLOBALS[0]
                for item in up.items):
            return True
    here = program_order((chunk, call))
    return any(program_order(added) < here for added in model.calls(SAFE_GLOBALS[1]))


def yaml_load(model: ModuleModel, rule: Rule, chunk: Chunk, call: ast.Call, name: str):
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
def fix_unsafe_deserialization(text: str, finding: Finding) -> Fix | None:
    import libcst as cst

    from ...fixes.cst import StatementPatch, set_keyword

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
