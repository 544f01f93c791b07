"""Engine <-> LSP types.

The engine counts columns in code points; the client in its negotiated
encoding (utf-8/16/32). pygls's PositionCodec converts one line at a time; an
ASCII line needs no conversion at all, which is the common, fast case.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..documentation import rule_url
from ..parse.chunks import ParseProblem
from ..parse.positions import Span
from ..rules.findings import Finding, Severity

SOURCE = "mlreview"
SYNTAX_ERROR = "syntax-error"

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def client_column(codec: PositionCodec, lines: Sequence[str], line: int, col: int) -> int:
    """Code-point column on 0-based `line` -> client units."""
    if line >= len(lines):
        return col
    text = lines[line]
    if col <= 0 or text.isascii():
        return max(col, 0)
    return codec.client_num_units(text[:col])


def server_column(codec: PositionCodec, lines: Sequence[str], position: types.Position) -> int:
    """Client position -> code-point column."""
    if position.line >= len(lines) or lines[position.line].isascii():
        return position.character
    return codec.position_from_client_units(lines, position).character


def span_to_range(codec: PositionCodec, lines: Sequence[str], span: Span, line_offset: int = 0) -> types.Range:
    """An engine span (1-based lines of `lines`) -> an LSP range, lines shifted up by `line_offset`."""
    start, end = span.line - 1, span.end_line - 1
    return types.Range(
        start=types.Position(line=start - line_offset, character=client_column(codec, lines, start, span.col)),
        end=types.Position(line=end - line_offset, character=client_column(codec, lines, end, span.end_col)),
    )


def finding_data(finding: Finding, key: str) -> dict:
    """What codeAction needs to find the finding again (and rebuild its fix)."""
    s = finding.span
    return {"key": key, "code": finding.code, "span": [s.line, s.col, s.end_line, s.end_col],
            "fixable": finding.fixable, "fix": finding.data}


def diagnostic(finding: Finding, range_: types.Range, key: str, docs_base: str | None,
               related: list[types.DiagnosticRelatedInformation] | None) -> types.Diagnostic:
    rule = finding.rule
    return types.Diagnostic(
        range=range_,
        message=finding.message,
        severity=SEVERITY[finding.severity or rule.severity],
        code=rule.code,
        code_description=types.CodeDescription(href=rule_url(rule, docs_base)),
        source=SOURCE,
        data=finding_data(finding, key),
        related_information=related or None,
    )


def problem_diagnostic(problem: ParseProblem, codec: PositionCodec, lines: Sequence[str],
                       line_offset: int = 0) -> types.Diagnostic:
    """A syntax error: one character wide (to the end of the line if it is past the end)."""
    index = problem.line - 1
    text = lines[index].rstrip("\r\n") if index < len(lines) else ""
    col = min(problem.col, len(text))
    end = min(col + 1, len(text)) if col < len(text) else len(text)
    span = Span(problem.line, col, problem.line, end)
    return types.Diagnostic(
        range=span_to_range(codec, lines, span, line_offset),
        message=f"SyntaxError: {problem.message}",
        severity=types.DiagnosticSeverity.Error,
        code=SYNTAX_ERROR,
        source=SOURCE,
    )


def span_from_data(data: object) -> Span | None:
    if isinstance(data, dict) and isinstance(data.get("span"), (list, tuple)) and len(data["span"]) == 4:
        return Span(*(int(v) for v in data["span"]))
    return None


def overlaps_lines(a: types.Range, b: types.Range) -> bool:
    """Do two ranges share a line (how editors ask for actions at the cursor)?"""
    return a.start.line <= b.end.line and b.start.line <= a.end.line


def contains(range_: types.Range, position: types.Position) -> bool:
    start, end = range_.start, range_.end
    return (start.line, start.character) <= (position.line, position.character) <= (end.line, end.character)
