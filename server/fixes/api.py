"""The one entry point adapters use to turn a finding into a fix."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from ..rules.findings import Edit, Finding, Fix

log = logging.getLogger("mlreview")

LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class FixAttempt:
    fix: Fix | None
    failure: str | None = None  # why a fixable finding's fix could not be built


def attempt_fix(text: str, finding: Finding) -> FixAttempt:
    """The finding's fix against `text`, written in the text's own line breaks, or why there is none."""
    if not finding.fixable:
        return FixAttempt(None)
    try:
        fix = finding.rule.fix(text, finding)
    except RecursionError:
        return failed(finding, "the code is nested too deeply to rewrite")
    except Exception as exc:  # a fix that cannot be built is not offered, and says why
        first_line = next(iter(str(exc).strip().splitlines()), "")
        return failed(finding, f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__)
    return FixAttempt(in_line_breaks_of(text, fix) if fix is not None else None)


def failed(finding: Finding, reason: str) -> FixAttempt:
    log.debug("building the fix for %s failed: %s", finding.code, reason, exc_info=True)
    return FixAttempt(None, reason)


def build_fix(text: str, finding: Finding) -> Fix | None:
    """The finding's fix against `text`, or None (no fix, or it could not be built)."""
    return attempt_fix(text, finding).fix


def in_line_breaks_of(text: str, fix: Fix) -> Fix:
    """Inserted lines take the line break of the line they go into (CRLF and CR files stay so)."""
    first_break = LINE_BREAK.search(text)
    if first_break is None or first_break.group() == "\n" and "\r" not in text:
        return fix
    edits = tuple(Edit(e.span, LINE_BREAK.sub(line_break_at(text, e.span.line), e.content)) for e in fix.edits)
    return replace(fix, edits=edits)


def line_break_at(text: str, line: int) -> str:
    """The line break ending 1-based `line` (the file's first one if that line has none)."""
    from ..parse.chunks import split_lines

    lines = split_lines(text)
    own = lines[line - 1] if 0 < line <= len(lines) else ""
    match = LINE_BREAK.search(own) or LINE_BREAK.search(text)
    return match.group() if match else "\n"
