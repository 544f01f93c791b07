"""IPython syntax in notebook cells, turned into plain Python as IPython would.

IPython rewrites escapes where a statement starts (`%magic`, `!cmd`, `?obj`,
`obj?`, `x = !cmd`, `x = %magic`) and cell magics on a cell's first line
(`%%bash`). Each is replaced by a placeholder of the same indentation (`pass`,
or `x = ...` for an assignment) so the cell still parses, and line count and
indentation are unchanged so every position outside the escapes holds.
Only text that is not valid Python is touched: a `%` continuing an expression,
a `!` or `?` in a string or a comment (`# why?`) stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ESCAPES = ("%", "!", "?")
# cell magics whose body is Python run in the user's namespace: the body is analysed
PYTHON_CELL_MAGICS = frozenset({"time", "capture"})
ASSIGNED_ESCAPE = re.compile(r"(?P<target>[\w.\[\]\s,()*]+?\s*=\s*)[!%]")
BRACKETS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}


@dataclass(slots=True)
class ScanState:
    """Where the scanner is between physical lines."""

    string: str | None = None  # the open string's quote ('''/\"\"\" or ', " continued by \\)
    depth: int = 0  # open brackets
    continued: bool = False  # the previous line ended with a backslash

    @property
    def at_statement_start(self) -> bool:
        return self.string is None and self.depth == 0 and not self.continued


def neutralize_cell(lines: list[str]) -> list[str]:
    """The cell's lines (without line endings) with IPython syntax replaced."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        return neutralize_cell_magic(lines, first)
    out: list[str] = []
    state = ScanState()
    escaped_continuation = False
    for line in lines:
        if escaped_continuation:  # `!pip install a \` goes on on this line
            out.append(commented(line))
            escaped_continuation = line.endswith("\\")
            continue
        if state.at_statement_start and (placeholder := escape_placeholder(line)) is not None:
            out.append(placeholder)
            escaped_continuation = line.endswith("\\")
            continue
        starts_statement = state.at_statement_start
        code_end = scan_line(line, state)
        if starts_statement and state.at_statement_start and is_help_suffix(line[:code_end]):
            out.append(indentation(line) + "pass")
        else:
            out.append(line)
    return out


def neutralize_cell_magic(lines: list[str], first: int) -> list[str]:
    """`%%time` keeps its Python body; any other cell magic's body is not Python."""
    header = lines[first].lstrip()
    name = header[2:].split(maxsplit=1)[0] if header[2:].strip() else ""
    out = list(lines)
    out[first] = commented(lines[first])
    if name in PYTHON_CELL_MAGICS:
        return neutralize_cell(out)
    return out[: first + 1] + [commented(line) for line in lines[first + 1:]]


def escape_placeholder(line: str) -> str | None:
    """The placeholder for a statement-level escape on this line, or None."""
    stripped = line.lstrip()
    if stripped.startswith(ESCAPES):
        return indentation(line) + "pass"
    match = ASSIGNED_ESCAPE.match(stripped)  # the target holds no `=`: not `==`, `!=`, `a = b = !x`
    if match:
        return indentation(line) + match["target"] + "..."
    return None


def is_help_suffix(code: str) -> bool:
    """`obj?` / `obj??`: a line whose code (comments and strings aside) ends in `?`."""
    return code.rstrip().endswith("?")


def commented(line: str) -> str:
    """A comment of the line's indentation (comments may sit at any indentation)."""
    stripped = line.lstrip()
    return indentation(line) + "#" + stripped[1:] if stripped else line


def indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def scan_line(line: str, state: ScanState) -> int:
    """Advance `state` over one line; returns where its comment starts (or its length)."""
    i, n = 0, len(line)
    comment_at = n
    while i < n:
        if state.string:
            i = skip_string(line, i, state)
            continue
        char = line[i]
        if char == "#":
            comment_at = i
            break
        if char in "'\"":
            triple = line[i: i + 3]
            state.string = triple if triple in ("'''", '"""') else char
            i += len(state.string)
            continue
        if char in BRACKETS:
            state.depth = max(0, state.depth + BRACKETS[char])
        i += 1
    if state.string in ("'", '"') and not line.endswith("\\"):
        state.string = None  # an unterminated one-line string ends at the line's end
    state.continued = state.string is None and comment_at == n and line.endswith("\\")
    return comment_at


def skip_string(line: str, i: int, state: ScanState) -> int:
    """Index after the open string's end on this line, or the line's length."""
    quote = state.string
    n = len(line)
    while i < n:
        if line[i] == "\\":
            i += 2
            continue
        if line.startswith(quote, i):
            state.string = None
            return i + len(quote)
        i += 1
    return n
