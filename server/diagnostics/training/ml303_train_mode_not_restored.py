"""ML303 train-mode-not-restored."""

from __future__ import annotations

from collections.abc import Iterator

from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA

TRAIN_MODE_NOT_RESTORED = Rule(
    code="ML303",
    name="train-mode-not-restored",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area=AREA,
    summary="TODO: what it flags, in one sentence.",
    why="TODO: why it matters, in the reviewer's terms. Two or three sentences.",
    bad="TODO: a short example that is flagged",
    good="TODO: the same example, fixed",
)


@TRAIN_MODE_NOT_RESTORED.checker
def check_train_mode_not_restored(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    """TODO: return early when the module cannot contain the problem, then
    yield rule.finding(model, node, message) for each offending node."""
    return iter(())
