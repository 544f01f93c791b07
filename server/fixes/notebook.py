"""Notebook fixes: edits applied cell by cell, and the new cell sources spliced into the
.ipynb text so that every other byte of the file (outputs, escapes, key order, number
spelling, indentation) stays as it was."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from ..parse.chunks import split_lines
from ..rules.findings import Edit
from ..parse.positions import Span
from ..parse.source import CellSpan, SourceText, join_cells
from .edits import apply_edits


def edit_cell(source: SourceText, edit: Edit) -> CellSpan | None:
    """The cell an edit lies in; None if it would cross cells."""
    cell = source.cell_at(edit.span.line)
    return cell if cell is not None and edit.span.end_line <= cell.last_line else None


def lines_map_to_cells(source: SourceText) -> bool:
    """The joined text's lines are the cells' lines, one for one (as the analysis splits them:
    at \\n, \\r\\n and \\r). If not, a cell edit would land on the wrong line: fix nothing."""
    counted = 0
    for cell in source.cells:
        text = cell.source if cell.source.endswith("\n") else cell.source + "\n"  # as join_cells
        if len(split_lines(text)) != cell.line_count:
            return False
        counted += cell.line_count
    return counted == len(split_lines(source.text))


def apply_to_cells(source: SourceText, edits: list[Edit]) -> SourceText:
    """Apply edits (each within one cell) to the cells' own text and join the cells again."""
    per_cell: dict[int, list[Edit]] = defaultdict(list)
    for edit in edits:
        cell = edit_cell(source, edit)
        shift = cell.first_line - 1
        s = edit.span
        per_cell[cell.index].append(Edit(Span(s.line - shift, s.col, s.end_line - shift, s.end_col), edit.content))
    sources = [(cell.index, apply_edits(cell.source, per_cell[cell.index]) if cell.index in per_cell else cell.source)
               for cell in source.cells]
    return join_cells(sources, source.notebook)


# ----- splicing new cell sources into the .ipynb text ------------------------------------

WHITESPACE = re.compile(r"[ \t\n\r]*")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
SCALAR = re.compile(r"[^,\]}\s]+")
BRACKET_OR_STRING = re.compile(r'["\[\]{}]')
SURROGATE = re.compile("[\ud800-\udfff]")
NOTEBOOK_LINE = re.compile(r"[^\n]*\n|[^\n]+")


class SpliceError(ValueError):
    """The notebook text does not have the shape its parsed JSON promised."""


def splice_cell_sources(raw: str, new_sources: dict[int, str]) -> str:
    """`raw` (a notebook's JSON text) with the `source` of cells (1-based index) replaced."""
    spans = source_value_spans(raw, set(new_sources))
    out, last = [], 0
    for index in sorted(spans):
        start, end = spans[index]
        out += [raw[last:start], source_json(raw[start:end], new_sources[index])]
        last = end
    if set(spans) != set(new_sources):
        raise SpliceError("a changed cell has no 'source' in the notebook text")
    return "".join(out) + raw[last:]


def source_json(old_value: str, text: str) -> str:
    """The new source as JSON, in the shape of the old value: a string, or a list of lines
    laid out as the old list was (Jupyter writes one line per element, indented)."""
    ascii_only = old_value.isascii() and "\\u" in old_value
    if not old_value.startswith("["):
        return json_string(text, ascii_only)
    lines = NOTEBOOK_LINE.findall(text)  # Jupyter splits at "\n" only
    inner = old_value[1:-1]
    lead = WHITESPACE.match(inner).group()
    trail = inner[len(inner.rstrip(" \t\n\r")):] if inner.strip() else ""
    separator = "," + (lead or " ")
    return "[" + lead + separator.join(json_string(line, ascii_only) for line in lines) + (trail if lines else "") + "]"


def json_string(text: str, ascii_only: bool) -> str:
    """A JSON string; a lone surrogate (half an emoji pair) stays an escape, not invalid UTF-8."""
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=ascii_only))


def source_value_spans(raw: str, wanted: set[int]) -> dict[int, tuple[int, int]]:
    """Character spans of the `source` values of the wanted cells (1-based) in the JSON text."""
    spans: dict[int, tuple[int, int]] = {}
    top = skip_space(raw, 0)
    for key, start, end in members(raw, top):
        if key != "cells":
            continue
        for index, (cell_start, _) in enumerate(elements(raw, start), start=1):
            if index in wanted and raw[cell_start] == "{":
                for cell_key, value_start, value_end in members(raw, cell_start):
                    if cell_key == "source":
                        spans[index] = (value_start, value_end)
    return spans


def skip_space(raw: str, pos: int) -> int:
    return WHITESPACE.match(raw, pos).end()


def members(raw: str, pos: int):
    """(key, value start, value end) of the object starting at `pos`."""
    if raw[pos] != "{":
        raise SpliceError("expected an object")
    pos = skip_space(raw, pos + 1)
    while raw[pos] != "}":
        key_match = STRING.match(raw, pos)
        if key_match is None:
            raise SpliceError("expected a key")
        pos = skip_space(raw, key_match.end())
        if raw[pos] != ":":
            raise SpliceError("expected ':'")
        start = skip_space(raw, pos + 1)
        end = skip_value(raw, start)
        yield json.loads(key_match.group()), start, end
        pos = skip_space(raw, end)
        if raw[pos] == ",":
            pos = skip_space(raw, pos + 1)


def elements(raw: str, pos: int):
    """(start, end) of each element of the array starting at `pos`."""
    if raw[pos] != "[":
        raise SpliceError("expected an array")
    pos = skip_space(raw, pos + 1)
    while raw[pos] != "]":
        end = skip_value(raw, pos)
        yield pos, end
        pos = skip_space(raw, end)
        if raw[pos] == ",":
            pos = skip_space(raw, pos + 1)


def skip_value(raw: str, pos: int) -> int:
    """The end of the JSON value starting at `pos`; iterative, so any depth is fine."""
    if raw[pos] == '"':
        return STRING.match(raw, pos).end()
    if raw[pos] not in "[{":
        return SCALAR.match(raw, pos).end()
    depth = 0
    while True:
        found = BRACKET_OR_STRING.search(raw, pos)
        if found is None:
            raise SpliceError("unbalanced brackets")
        char = found.group()
        if char == '"':
            pos = STRING.match(raw, found.start()).end()
            continue
        depth += 1 if char in "[{" else -1
        pos = found.end()
        if depth == 0:
            return pos
