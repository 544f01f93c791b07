"""Reading inputs: Python files, Jupyter notebooks, stdin.

A notebook becomes one Python text: its code cells in order, each cell's lines
kept whole, with a map from text lines back to (cell, row). IPython magics and
shell escapes are turned into comments of the same length so positions hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


class InputError(Exception):
    """An input that cannot be analysed; the message names the problem."""


@dataclass(frozen=True, slots=True)
class CellSpan:
    """A code cell's place in the concatenated notebook text."""

    index: int  # 1-based among all the notebook's cells (the JSON contract)
    first_line: int  # 1-based line of the cell's first line in the text
    line_count: int
    source: str  # the cell's original text

    @property
    def last_line(self) -> int:
        return self.first_line + self.line_count - 1


@dataclass(slots=True)
class SourceText:
    text: str
    cells: list[CellSpan] | None = None  # None for a plain Python file
    notebook: dict | None = field(default=None, repr=False)  # parsed JSON, for --fix

    @property
    def is_notebook(self) -> bool:
        return self.cells is not None

    def cell_at(self, line: int) -> CellSpan | None:
        """The cell holding a 1-based text line (binary search over cells)."""
        if not self.cells:
            return None
        lo, hi = 0, len(self.cells) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            cell = self.cells[mid]
            if line < cell.first_line:
                hi = mid - 1
            elif line > cell.last_line:
                lo = mid + 1
            else:
                return cell
        return None


MAX_BYTES = 20 * 1024 * 1024


def read_path(path: Path) -> SourceText:
    """Read a .py or .ipynb file, or raise InputError saying what is wrong."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    return decode_source(data, notebook=path.suffix == ".ipynb")


def decode_source(data: bytes, notebook: bool = False) -> SourceText:
    if len(data) > MAX_BYTES:
        raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\0" in data[:8192] and not notebook:
        raise InputError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    return notebook_source(text) if notebook else SourceText(text)


def notebook_source(raw_json: str) -> SourceText:
    """Concatenate a notebook's code cells into one analysable text."""
    try:
        nb = json.loads(raw_json)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid notebook JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise InputError("invalid notebook: no 'cells' list")
    sources = []
    for position, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict):
            raise InputError(f"invalid notebook: cell {position} is not an object")
        if cell.get("cell_type") == "code":
            sources.append((position, cell_text(cell, position)))
    return join_cells(sources, nb)


def cell_text(cell: dict, position: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise InputError(f"invalid notebook: cell {position} has a malformed 'source'")


def join_cells(sources: list[tuple[int, str]], nb: dict | None = None) -> SourceText:
    """Join (cell index, cell text) pairs; also used for LSP notebook documents."""
    parts: list[str] = []
    cells: list[CellSpan] = []
    line = 1
    for index, source in sources:
        code = neutralize_magics(source)
        if not code.endswith("\n"):
            code += "\n"
        count = code.count("\n")
        cells.append(CellSpan(index, line, count, source))
        parts.append(code)
        line += count
    return SourceText("".join(parts), cells, nb)


def neutralize_magics(source: str) -> str:
    """Comment out IPython-only syntax, keeping every line's length and count."""
    lines = source.split("\n")
    if lines and lines[0].lstrip().startswith("%%"):
        return "\n".join("#" + line[1:] if line else line for line in lines)
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped[:1] in ("%", "!", "?") or (stripped.endswith("?") and not stripped.startswith("#")):
            indent = len(line) - len(stripped)
            line = line[:indent] + "#" + stripped[1:] if stripped else line
        out.append(line)
    return "\n".join(out)
