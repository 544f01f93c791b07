"""Engine <-> LSP types.

The engine counts columns in code points; the client in its negotiated
encoding (utf-8/16/32). pygls's PositionCodec converts one line at a time; an
ASCII line needs no conversion at all, which is the common, fast case.
Unit lines (a file, or a notebook's joined cells) become document lines through
the snapshot: each finding lands on the cell that holds it, under the URI the
client used for that cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace.position_codec import PositionCodec

from ..documentation import rule_url
from ..engine import AnalysisResult
from ..parse.chunks import ParseProblem
from ..parse.positions import Span
from ..rules.findings import Finding, Severity
from .snapshot import Snapshot

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


def finding_data(finding: Finding) -> dict | None:
    """What codeAction/resolve reads back to find the finding again: nothing for
    findings without a fix (the fix itself is rebuilt from the current analysis)."""
    if not finding.fixable:
        return None
    s = finding.span
    return {"code": finding.code, "span": [s.line, s.col, s.end_line, s.end_col]}


def diagnostic(finding: Finding, range_: types.Range, docs_base: str | None,
               related: list[types.DiagnosticRelatedInformation] | None) -> types.Diagnostic:
    rule = finding.rule
    return types.Diagnostic(
        range=range_,
        message=finding.message,
        severity=SEVERITY[finding.severity or rule.severity],
        code=rule.code,
        code_description=types.CodeDescription(href=rule_url(rule, docs_base)),
        source=SOURCE,
        data=finding_data(finding),
        related_information=related or None,
    )


Converted = tuple[dict[str, list[types.Diagnostic]], dict[str, list[tuple[Finding, types.Diagnostic]]]]


def result_diagnostics(snapshot: Snapshot, result: AnalysisResult, codec: PositionCodec,
                       docs_base: str | None) -> Converted:
    """(diagnostics, (finding, diagnostic) pairs) per document of the unit, keyed by normalised URI."""
    diagnostics = {key: [] for key in snapshot.versions}
    findings = {key: [] for key in snapshot.versions}
    for finding in result.findings:
        place = snapshot.place(finding.span.line)
        if place is None or place[0] not in diagnostics:
            continue
        key, offset = place
        range_ = span_to_range(codec, snapshot.lines, finding.span, offset)
        diag = diagnostic(finding, range_, docs_base, related_information(snapshot, codec, finding))
        diagnostics[key].append(diag)
        findings[key].append((finding, diag))
    for problem in result.problems:
        place = snapshot.place(problem.line)
        if place is not None and place[0] in diagnostics:
            diagnostics[place[0]].append(problem_diagnostic(problem, codec, snapshot.lines, place[1]))
    return diagnostics, findings


def related_information(snapshot: Snapshot, codec: PositionCodec,
                        finding: Finding) -> list[types.DiagnosticRelatedInformation]:
    """The other places a finding involves (the split for ML201), in the cell that holds each."""
    out = []
    for related in finding.related:
        if related.filename is not None:  # a helper in another workspace file (ML2 across files)
            out.append(other_file_related(codec, related))
            continue
        place = snapshot.place(related.span.line)
        if place is None:
            continue
        key, offset = place
        location = types.Location(uri=snapshot.client_uri(key),
                                  range=span_to_range(codec, snapshot.lines, related.span, offset))
        out.append(types.DiagnosticRelatedInformation(location=location, message=related.message))
    return out


def other_file_related(codec: PositionCodec, related) -> types.DiagnosticRelatedInformation:
    """A related place in another file, its columns converted with that file's line as on disk."""
    try:
        lines = Path(related.filename).read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        lines = []
    location = types.Location(uri=from_fs_path(related.filename) or related.filename,
                              range=span_to_range(codec, lines, related.span, 0))
    return types.DiagnosticRelatedInformation(location=location, message=related.message)


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
