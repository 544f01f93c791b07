"""The rule declaration and the registry.

A rule is declared once, in server/diagnostics/<family>/mlNNN_<name>.py: its identity, the
persona's reasoning (docs), its check and its optional fix. Hover text, rule
docs, SARIF rules and `mlreview rule` are all generated from the declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .findings import Finding, Fix, Severity

if TYPE_CHECKING:
    from ..model.module_model import ModuleModel

PRINCIPLES = ("Reproducibility", "Versioning", "Monitoring", "Explainability")
AREAS = (
    "Data Pipeline",
    "Model Development",
    "Training & Evaluation",
    "Model Serving",
    "Monitoring & Maintenance",
    "Infrastructure & Scale",
    "Documentation & Governance",
)

Check = Callable[["ModuleModel", "Rule"], Iterable[Finding]]
ProjectCheck = Callable[[Any, "Rule"], Iterable[Any]]  # (project facts, rule) -> project findings
FixBuilder = Callable[[str, Finding], "Fix | None"]


@dataclass(eq=False)
class Rule:
    code: str  # "ML101": public contract, never renumbered
    name: str  # "split-without-seed"
    severity: Severity
    principle: str
    area: str
    summary: str  # what it flags, one sentence
    why: str  # why it matters, in the persona's terms (2-3 sentences)
    bad: str  # a short example that is flagged
    good: str  # the same example, fixed
    red_flag: str | None = None
    fix_title: str | None = None  # e.g. "Add random_state=SEED"
    check: Check | None = field(default=None, repr=False)
    fix: FixBuilder | None = field(default=None, repr=False)
    # PROJECT-scope rules (RULES.md "Project scope") judge all files' facts together.
    project_check: ProjectCheck | None = field(default=None, repr=False)
    # Opt-in rules (off by default) are too noisy on real code for the default selection
    # (bench/ecosystem: precision < 0.95 or > 10% DEBATABLE); selecting their code or
    # family turns them on (Settings.is_enabled). The reason is shown in their docs.
    on_by_default: bool = True
    opt_in_reason: str = ""

    @property
    def scope(self) -> str:
        return "project" if self.project_check is not None else "line"

    def __post_init__(self) -> None:
        for principle in self.principle.split("/"):
            assert principle in PRINCIPLES, f"{self.code}: unknown principle {principle}"
        assert self.area in AREAS, f"{self.code}: unknown area {self.area}"
        assert self.on_by_default or self.opt_in_reason, f"{self.code}: say why it is opt-in"

    def checker(self, function: Check) -> Check:
        """Decorator attaching the rule's check."""
        self.check = function
        return function

    def project_checker(self, function: ProjectCheck) -> ProjectCheck:
        """Decorator attaching a PROJECT-scope check: (project, rule) -> project findings."""
        self.project_check = function
        return function

    def fixer(self, function: FixBuilder) -> FixBuilder:
        """Decorator attaching the rule's fix: (document text, finding) -> Fix | None."""
        self.fix = function
        return function

    def finding(self, model: "ModuleModel", node, message: str, *, chunk=None, end_node=None, **data) -> Finding:
        """A finding on `node`; `data` also records the enclosing statement's lines for the fix."""
        chunk = chunk or model.chunk_of(node)
        if "statement" not in data and hasattr(node, "lineno"):
            data["statement"] = statement_lines(chunk, node)
        return Finding(self, message, model.span(chunk, node, end_node), data=data)


def statement_lines(chunk, node) -> list[int]:
    """[first, last] document lines of the smallest statement holding `node` (decorators included)."""
    from ..parse.syntax import enclosing_statement

    stmt = enclosing_statement(node)
    decorators = getattr(stmt, "decorator_list", None)
    first = min([stmt.lineno, *(d.lineno for d in decorators or ())])
    return [chunk.absolute_line(first), chunk.absolute_line(stmt.end_lineno)]


class Registry:
    def __init__(self, rules: Iterable[Rule]):
        self.rules = sorted(rules, key=lambda rule: rule.code)
        self.by_code = {rule.code: rule for rule in self.rules}
        assert len(self.by_code) == len(self.rules), "duplicate rule code"

    def get(self, code: str) -> Rule | None:
        return self.by_code.get(code.upper())

    def __iter__(self):
        return iter(self.rules)
