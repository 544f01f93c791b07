"""ML602 hardcoded-hyperparameters."""

from __future__ import annotations

from collections.abc import Iterator

from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule

HARDCODED_HYPERPARAMETERS = Rule(
    code="ML602",
    name="hardcoded-hyperparameters",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area="Model Development",
    summary="TODO: what it flags, in one sentence.",
    why="TODO: why it matters, in the reviewer's terms. Two or three sentences.",
    bad="TODO: a short example that is flagged",
    good="TODO: the same example, fixed",
)


@HARDCODED_HYPERPARAMETERS.checker
def check_hardcoded_hyperparameters(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    """TODO: return early when the module cannot contain the problem, then
    yield rule.finding(model, node, message) for each offending node."""
    return iter(())
