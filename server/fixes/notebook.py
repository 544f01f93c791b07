"""Fixing a whole document, a plain file or a notebook, until nothing fixable is left."""

from __future__ import annotations

import copy
from collections import defaultdict

from ..engine import analyse_source
from ..parse.positions import Span
from ..parse.source import CellSpan, SourceText, join_cells
from ..rules.config import Settings
from ..rules.findings import Edit
from .api import build_fix
from .edits import apply_edits, compatible_fixes, fix_document


def fix_source(source: SourceText, settings: Settings | None = None, path: str | None = None,
               max_passes: int = 4) -> tuple[SourceText, int]:
    """Apply safe fixes; returns the new source and how many fixes were applied."""
    if not source.is_notebook:
        def analyse(text: str):
            return analyse_source(SourceText(text), settings, path).findings

        text, count = fix_document(source.text, analyse, build_fix, max_passes)
        return SourceText(text), count
    total = 0
    for _ in range(max_passes):
        findings = analyse_source(source, settings, path).findings
        fixes = [fix for f in findings if (fix := build_fix(source.text, f)) and fix.applicability == "safe"]
        chosen = [fix for fix in compatible_fixes(fixes) if all(edit_cell(source, e) for e in fix.edits)]
        if not chosen:
            break
        source = apply_to_cells(source, [e for fix in chosen for e in fix.edits])
        total += len(chosen)
    return source, total


def edit_cell(source: SourceText, edit: Edit) -> CellSpan | None:
    """The cell an edit lies in; None if it would cross cells."""
    cell = source.cell_at(edit.span.line)
    return cell if cell is not None and edit.span.end_line <= cell.last_line else None


def apply_to_cells(source: SourceText, edits: list[Edit]) -> SourceText:
    per_cell: dict[int, list[Edit]] = defaultdict(list)
    cells = {}
    for edit in edits:
        cell = edit_cell(source, edit)
        shift = cell.first_line - 1
        s = edit.span
        per_cell[cell.index].append(Edit(Span(s.line - shift, s.col, s.end_line - shift, s.end_col), edit.content))
        cells[cell.index] = cell
    notebook = copy.deepcopy(source.notebook)
    for index, cell_edits in per_cell.items():
        new_text = apply_edits(cells[index].source, cell_edits)
        cell = notebook["cells"][index - 1]
        cell["source"] = new_text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else new_text
    sources = [(i, cell_source(c)) for i, c in enumerate(notebook["cells"], 1) if c.get("cell_type") == "code"]
    return join_cells(sources, notebook)


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source
