"""What rules report (findings) and what fixes propose (edits)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from ..parse.positions import Span

if TYPE_CHECKING:
    from .rule import Rule


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"

    @classmethod
    def parse(cls, value: str) -> "Severity":
        aliases = {"E": "error", "W": "warning", "I": "information", "H": "hint", "info": "information"}
        return cls(aliases.get(value, value))


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (e.g. the split a fit leaks into)."""

    span: Span
    message: str
    filename: str | None = None  # another file of the project; None: the finding's own file


@dataclass(slots=True)
class Finding:
    rule: "Rule"
    message: str
    span: Span
    # JSON-serialisable facts the rule's fix needs later (LSP `data`).
    data: dict[str, Any] = field(default_factory=dict)
    related: list[Related] = field(default_factory=list)
    severity: Severity | None = None  # as configured; None until the engine sets it
    scope: str = "line"  # "project": a property of the whole project, anchored here (RULES.md)

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def fixable(self) -> bool:
        return self.rule.fix is not None and self.data.get("fixable", True)

    def sort_key(self) -> tuple:
        return (self.span.line, self.span.col, self.rule.code)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text in `span` (code-point columns) with `content`."""

    span: Span
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    applicability: str = "safe"  # "safe" | "unsafe", as in ruff
