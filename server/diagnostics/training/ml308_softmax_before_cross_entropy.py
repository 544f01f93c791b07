"""ML308 softmax-before-cross-entropy."""

from __future__ import annotations

from collections.abc import Iterator

from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA

SOFTMAX_BEFORE_CROSS_ENTROPY = Rule(
    code="ML308",
    name="softmax-before-cross-entropy",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area=AREA,
    summary="TODO: what it flags, in one sentence.",
    why="TODO: why it matters, in the reviewer's terms. Two or three sentences.",
    bad="TODO: a short example that is flagged",
    good="TODO: the same example, fixed",
)


@SOFTMAX_BEFORE_CROSS_ENTROPY.checker
def check_softmax_before_cross_entropy(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    """TODO: return early when the module cannot contain the problem, then
    yield rule.finding(model, node, message) for each offending node."""
    return iter(())
