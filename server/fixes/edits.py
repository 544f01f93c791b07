"""Applying edits to text, and fixing a whole document until nothing fixable is left."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..parse.positions import Span
from ..rules.findings import Edit, Finding, Fix


def line_starts(text: str) -> list[int]:
    from ..parse.chunks import split_lines

    starts = [0]
    for line in split_lines(text):
        starts.append(starts[-1] + len(line))
    return starts


def to_offset(starts: list[int], text: str, line: int, col: int) -> int:
    if line > len(starts) - 1:
        return len(text)
    return min(starts[line - 1] + col, len(text))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (identical duplicates collapse; overlaps are skipped)."""
    starts = line_starts(text)
    resolved = sorted(
        {(to_offset(starts, text, e.span.line, e.span.col),
          to_offset(starts, text, e.span.end_line, e.span.end_col), e.content) for e in edits},
        reverse=True,
    )
    out = text
    last_start = len(text) + 1
    for start, end, content in resolved:
        if end > last_start:  # overlaps an edit already applied
            continue
        out = out[:start] + content + out[end:]
        last_start = start
    return out


def compatible_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """A set of fixes whose edits do not overlap (identical edits may repeat)."""
    chosen: list[Fix] = []
    taken: set[tuple] = set()
    spans: list[Span] = []
    for fix in fixes:
        keys = {(e.span, e.content) for e in fix.edits}
        new = [e for e in fix.edits if (e.span, e.content) not in taken]
        if any(e.span.overlaps(s) or (e.span == s) for e in new for s in spans):
            continue
        if any(
            (e.span.line, e.span.col) == (s.line, s.col) and e.span.line == e.span.end_line
            and e.span.col == e.span.end_col for e in new for s in spans
        ):
            continue  # two different insertions at one point: let the next pass decide
        chosen.append(fix)
        taken |= keys
        spans.extend(e.span for e in new)
    return chosen


def fix_document(text: str, analyse: Callable[[str], list[Finding]],
                 build: Callable[[str, Finding], Fix | None], max_passes: int = 4,
                 safe_only: bool = True) -> tuple[str, int]:
    """Apply fixes pass after pass until none applies; returns (text, fixes applied)."""
    applied = 0
    for _ in range(max_passes):
        fixes = []
        for finding in analyse(text):
            if not finding.fixable:
                continue
            fix = build(text, finding)
            if fix is not None and (fix.applicability == "safe" or not safe_only):
                fixes.append(fix)
        chosen = compatible_fixes(fixes)
        if not chosen:
            break
        new_text = apply_edits(text, [e for fix in chosen for e in fix.edits])
        if new_text == text:
            break
        text = new_text
        applied += len(chosen)
    return text, applied
