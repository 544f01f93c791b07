"""Reading inputs: Python files, Jupyter notebooks, stdin.

A notebook becomes one Python text: its code cells in order, each cell's lines
kept whole (line breaks as Python counts them: \r\n, \r, \n, all written \n),
with a map from text lines back to (cell, row). IPython magics and shell
escapes become placeholders of the same indentation (ipython.py).
A Python file is decoded as its PEP 263 declaration says (UTF-8 by default).
"""

from __future__ import annotations

import codecs
import json
import os
import stat
import re
from dataclasses import dataclass, field
from pathlib import Path

from .ipython import neutralize_cell


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
    encoding: str = "utf-8"  # a Python file's PEP 263 encoding, to write fixes back in

    @property
    def is_notebook(self) -> bool:
        return self.cells is not None

    def place(self, line: int) -> str:
        """How a message names a 1-based text line: `12`, or `cell 3:2` in a notebook."""
        cell = self.cell_at(line)
        return f"cell {cell.index}:{line - cell.first_line + 1}" if cell else str(line)

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


MAX_BYTES = 20 * 1024 * 1024  # a file, outputs of a notebook included
# Code to parse: CPython's parser holds ~150 bytes per byte of dense literals (a 5 MB list
# literal takes 800 MB), so code past this is generated or data, and is not parsed.
MAX_CODE_CHARS = 2 * 1024 * 1024


def read_path(path: Path) -> SourceText:
    """Read a .py or .ipynb file, or raise InputError saying what is wrong."""
    return decode_source(read_bytes(path), notebook=path.suffix == ".ipynb")


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, at most MAX_BYTES: the size is checked before reading and the
    read is bounded, so a device (/dev/zero) or a FIFO never hangs or floods memory."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError("not a regular file (skipped)")
        # O_NONBLOCK: should the path have become a FIFO since, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InputError("not a regular file (skipped)")
            return read_capped(handle)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}") from None


def read_capped(stream) -> bytes:
    """At most MAX_BYTES from a binary stream; InputError if there is more."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data


def decode_source(data: bytes, notebook: bool = False) -> SourceText:
    if len(data) > MAX_BYTES:
        raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\0" in data[:8192] and not notebook:
        raise InputError("binary file (contains NUL bytes)")
    if notebook:
        try:
            return within_code_limit(notebook_source(decode_as(data, "utf-8-sig", "UTF-8")))
        except RecursionError:  # json nests by recursion: thousands of levels exhaust the stack
            raise InputError("invalid notebook JSON: nested too deeply") from None
    encoding = declared_encoding(data)
    if encoding == "utf-8":
        return within_code_limit(SourceText(decode_as(data, "utf-8-sig", "UTF-8")))
    if data.startswith(codecs.BOM_UTF8):
        raise InputError(f"a UTF-8 byte order mark contradicts the declared encoding {encoding!r}")
    return within_code_limit(SourceText(decode_as(data, encoding, encoding), encoding=encoding))


# PEP 263: a comment on line 1 or 2 (line 2 only after a comment or blank line 1)
CODING_LINE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:#.*)?$")


def declared_encoding(data: bytes) -> str:
    """The codec a Python file declares (normalised), "utf-8" when it declares none."""
    first, _, rest = data.removeprefix(codecs.BOM_UTF8).partition(b"\n")
    second = rest.split(b"\n", 1)[0]
    match = CODING_LINE.match(first) or (BLANK_OR_COMMENT.match(first) and CODING_LINE.match(second))
    if not match:
        return "utf-8"
    name = match.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError(f"unknown encoding {name!r} declared (PEP 263)") from None
    if codec in ("utf-8", "utf-8-sig"):
        return "utf-8"
    if "# coding".encode(codec, "replace") != b"# coding":  # UTF-16 and the like cannot declare themselves
        raise InputError(f"the declared encoding {name!r} is not ASCII-compatible (PEP 263)")
    return codec


def decode_as(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {label} (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def within_code_limit(source: SourceText) -> SourceText:
    if len(source.text) > MAX_CODE_CHARS:
        raise InputError(f"more than {MAX_CODE_CHARS // (1024 * 1024)} MB of code (generated code or data?): "
                         "not checked")
    return source


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
        code = neutralize_cell(cell_lines(source))
        cells.append(CellSpan(index, line, len(code), source))
        parts.append("\n".join(code) + "\n")
        line += len(code)
    return SourceText("".join(parts), cells, nb)


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def cell_lines(source: str) -> list[str]:
    """The cell's lines without their breaks, split where Python splits them."""
    lines = LINE_BREAK.split(source)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the break ending the last line starts no new line
    return lines
