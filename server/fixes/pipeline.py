"""Fix all: the one pipeline behind `mlreview check --fix` and the editor's fix-all.

Pass after pass, every safe fix that does not overlap another is applied, until none
applies (or `max_passes`). A notebook's fixes are applied cell by cell and an edit
crossing cells is never applied. Adapters only convert the result: the CLI writes
the file, the language server turns `edits()` into a WorkspaceEdit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.config import Settings
from ..engine import DocumentAnalyzer
from ..model.versions import UNKNOWN, KnownVersions
from ..rules.findings import Edit, Finding, Fix
from ..parse.positions import Span
from ..parse.source import SourceText
from .api import attempt_fix
from .edits import apply_edits, compatible_fixes, difference_edit
from .notebook import apply_to_cells, edit_cell, lines_map_to_cells

MAX_PASSES = 100  # as ruff: stop when nothing changes; a pathological file may need many


@dataclass
class FixAllResult:
    original: SourceText
    source: SourceText  # the fixed document (a notebook: its cells joined again)
    applied: int = 0
    failures: list[tuple[Finding, str]] = field(default_factory=list)  # fixes that could not be built
    converged: bool = True  # False: fixes still applied at the last pass allowed

    @property
    def changed(self) -> bool:
        return self.source.text != self.original.text

    def cell_sources(self) -> dict[int, str]:
        """A notebook's changed cells: cell index -> new source text."""
        before = {cell.index: cell.source for cell in self.original.cells or ()}
        return {cell.index: cell.source for cell in self.source.cells or () if before.get(cell.index) != cell.source}

    def edits(self) -> list[Edit]:
        """The change as few edits in the original's coordinates: one per changed cell, or one for a file."""
        if not self.original.is_notebook:
            edit = difference_edit(self.original.text, self.source.text)
            return [edit] if edit else []
        edits = []
        cells = {cell.index: cell for cell in self.original.cells}
        for index, new_source in self.cell_sources().items():
            cell = cells[index]
            edit = difference_edit(cell.source, new_source)
            if edit is not None:
                shift = cell.first_line - 1
                span = edit.span
                edits.append(Edit(Span(span.line + shift, span.col, span.end_line + shift, span.end_col), edit.content))
        return edits


def fix_all(source: SourceText, settings: Settings | None = None, path: str | None = None,
            external=None, max_passes: int = MAX_PASSES, versions: KnownVersions = UNKNOWN) -> FixAllResult:
    """Apply safe fixes until none applies; see the module docstring. `versions`: as the
    analysis that showed the findings had them, so no fix applies to a finding not shown."""
    analyzer = DocumentAnalyzer(path)
    result = FixAllResult(source, source)
    if source.is_notebook and not lines_map_to_cells(source):
        return result
    for _ in range(max_passes):
        result.converged = False
        findings = analyzer.analyse(result.source, settings, external, versions=versions).findings
        fixes, result.failures = safe_fixes(result.source, findings)
        chosen = compatible_fixes(fixes)
        if result.source.is_notebook:
            chosen = [fix for fix in chosen if all(edit_cell(result.source, e) for e in fix.edits)]
        if not chosen:
            result.converged = True
            break
        fixed = apply_fixes(result.source, chosen)
        if fixed.text == result.source.text:
            result.converged = True
            break
        result.source = fixed
        result.applied += len(chosen)
    return result


def safe_fixes(source: SourceText, findings: list[Finding]) -> tuple[list[Fix], list[tuple[Finding, str]]]:
    fixes, failures = [], []
    for finding in findings:
        attempt = attempt_fix(source.text, finding)
        if attempt.failure:
            failures.append((finding, attempt.failure))
        elif attempt.fix is not None and attempt.fix.applicability == "safe":
            fixes.append(attempt.fix)
    return fixes, failures


def apply_fixes(source: SourceText, fixes: list[Fix]) -> SourceText:
    edits = [edit for fix in fixes for edit in fix.edits]
    if source.is_notebook:
        return apply_to_cells(source, edits)
    return SourceText(apply_edits(source.text, edits))
