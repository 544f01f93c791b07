"""Applying edits to text; choosing fixes that apply together; the edit between two texts."""

from __future__ import annotations

from collections.abc import Iterable

from ..rules.findings import Edit, Fix
from ..parse.positions import Span


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


def difference_edit(old: str, new: str) -> Edit | None:
    """One edit turning `old` into `new`: the span between their common prefix and suffix."""
    if old == new:
        return None
    for ending in ("\r\n", "\n", "\r"):  # keep the edit inside the text's lines (a cell's last line)
        if old.endswith(ending) and new.endswith(ending):
            old, new = old[:-len(ending)], new[:-len(ending)]
            break
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    if 0 < prefix < len(old) and old[prefix - 1] == "\r" and old[prefix] == "\n":
        prefix -= 1  # never split a CRLF: a position inside it has no (line, column)
    end = len(old) - suffix
    if 0 < end < len(old) and old[end - 1] == "\r" and old[end] == "\n":
        end += 1
        suffix -= 1
    starts = line_starts(old)
    return Edit(Span(*line_col(old, starts, prefix), *line_col(old, starts, end)), new[prefix:len(new) - suffix])


def line_col(text: str, starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and 0-based column of an offset, given `line_starts(text)`. The end of a
    text with no final line break stays on its last line; after a break, it starts a new one."""
    from bisect import bisect_right

    line = bisect_right(starts, offset)
    if line == len(starts) and len(starts) > 1 and not text.endswith(("\n", "\r")):
        line -= 1
    return line, offset - starts[line - 1]
