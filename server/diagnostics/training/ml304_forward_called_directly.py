"""ML304 forward-called-directly."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...model.module_model import ModuleModel
from ...parse.syntax import dotted_name
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA

FORWARD_CALLED_DIRECTLY = Rule(
    code="ML304",
    name="forward-called-directly",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area=AREA,
    summary="`module.forward(x)` is called instead of `module(x)`.",
    why="`nn.Module.__call__` runs the registered forward and backward hooks (and the machinery "
    "built on them: pruning, quantisation observers, some profilers and distributed wrappers) "
    "around `forward`. Calling `forward` directly skips them, so the model that is evaluated is "
    "not quite the one that is trained or served.",
    bad="logits = model.forward(batch)",
    good="logits = model(batch)",
    fix_title="Call the module instead of .forward()",
    on_by_default=False,
    opt_in_reason="On real code most direct calls are `self.forward(...)` inside the module's own methods "
    "(Lightning's `training_step`), where no hook is lost in practice: on the ecosystem corpus three "
    "quarters of its findings were per the rule but noise.",
)


def is_direct_forward(model: ModuleModel, call: ast.Call, local_classes: set[str]) -> bool:
    """`x.forward(...)` on an instance; not `super().forward`, nor `Base.forward(self, x)`."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "forward"):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
        return False
    if model.resolve(receiver) is not None:  # `nn.Linear.forward(self, x)`, a module's function
        # ... unless it is a model built in another workspace file: `from models import net`.
        return model.external.is_module_instance(receiver)
    return not (isinstance(receiver, ast.Name) and receiver.id in local_classes)


RPC_PROXY_METHODS = ("rpc_sync", "rpc_async", "remote")


def rpc_proxies(model: ModuleModel) -> frozenset[str]:
    """Names bound to a `RemoteModule(...)` or an `rpc.remote(...)` RRef: `forward` is their API
    (it runs the module on another worker), not a bypass of hooks."""
    return frozenset(
        dotted_name(target) for _, assign in model.nodes(ast.Assign) if isinstance(assign.value, ast.Call)
        and is_proxy_constructor(model.call_name(assign.value) or "")
        for target in assign.targets if dotted_name(target))


def is_proxy_constructor(name: str) -> bool:
    return name.startswith("torch.distributed.") and name.rsplit(".", 1)[-1] in ("RemoteModule", "remote")


def is_rpc_proxy(receiver: ast.expr, proxies: frozenset[str]) -> bool:
    """`remote_net.forward(x)`, `rref.rpc_sync().forward(x)`."""
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute):
        return receiver.func.attr in RPC_PROXY_METHODS
    return dotted_name(receiver) in proxies


@FORWARD_CALLED_DIRECTLY.checker
def check_forward_called_directly(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any("torch"):
        return
    local_classes = proxies = None
    for chunk, call in model.method_calls("forward"):
        if local_classes is None:
            local_classes = {node.name for _, node in model.nodes(ast.ClassDef)}
            proxies = rpc_proxies(model)
        if is_direct_forward(model, call, local_classes) and not is_rpc_proxy(call.func.value, proxies):
            receiver = model.text_of(chunk, call.func.value) or "module"
            yield rule.finding(model, call, f"`{receiver}.forward(...)` bypasses the module's hooks: "
                               f"call `{receiver}(...)` instead", chunk=chunk)


@FORWARD_CALLED_DIRECTLY.fixer
def fix_forward_called_directly(text: str, finding: Finding) -> Fix | None:
    import libcst as cst

    from ...fixes.cst import StatementPatch

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span, cst.Call)
    if call is None or not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "forward"):
        return None
    edit = patch.replace(call, call.with_changes(func=call.func.value))
    return Fix("Call the module instead of `.forward()`", (edit,))
