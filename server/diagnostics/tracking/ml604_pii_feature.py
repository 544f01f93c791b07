"""ML604 pii-feature."""

from __future__ import annotations

from collections.abc import Iterator

from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule

PII_FEATURE = Rule(
    code="ML604",
    name="pii-feature",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area="Model Development",
    summary="TODO: what it flags, in one sentence.",
    why="TODO: why it matters, in the reviewer's terms. Two or three sentences.",
    bad="TODO: a short example that is flagged",
    good="TODO: the same example, fixed",
)


@PII_FEATURE.checker
def check_pii_feature(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    """TODO: return early when the module cannot contain the problem, then
    yield rule.finding(model, node, message) for each offending node."""
    return iter(())
