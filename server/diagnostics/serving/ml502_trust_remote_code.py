"""ML502 trust-remote-code."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...model.calls import argument
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA
from .hugging_face import HF_ROOTS, hugging_face_calls

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


@TRUST_REMOTE_CODE.checker
def check_trust_remote_code(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any(*HF_ROOTS):
        return
    for chunk, call, short in hugging_face_calls(model):
        if is_local_path(argument(call, 0)):
            continue  # the code comes from a folder on this machine, not from the hub
        for kw in call.keywords:
            if kw.arg == "trust_remote_code" and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                yield rule.finding(model, kw, f"`{short}(trust_remote_code=True)` downloads and runs Python "
                                   "code from the hub repository", chunk=chunk)


def is_local_path(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith((".", "/", "~"))
