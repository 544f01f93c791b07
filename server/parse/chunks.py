"""Top-level statements ("chunks"), parsed one at a time and reused by text.

A document is a list of chunks, each a run of whole lines holding one or more
top-level statements. A chunk is parsed on its own with line numbers relative
to its first line, so an edit re-parses only the chunks it touches and every
other chunk keeps its tree and facts, just shifted. A chunk that does not parse
is kept as a broken chunk: the rest of the file is still analysed.
"""

from __future__ import annotations

import ast
import bisect
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from .syntax import build_facts

# Lines that cannot start a top-level statement of their own.
CONTINUATION = re.compile(r"(else|elif|except|finally)\b|[)\]}.,:=+\-*/%&|^<>'\"]")
MAX_MERGE = 128  # candidate boundaries a statement may span while looking for a parse


@dataclass(frozen=True, slots=True)
class ParseProblem:
    line: int  # 1-based, absolute
    col: int  # 0-based
    message: str


@dataclass(eq=False, slots=True)
class Chunk:
    """Lines [start_line, start_line + line_count) of the document."""

    text: str
    line_count: int
    start_line: int = 1  # within its segment (the file, or one notebook cell)
    offset: int = 0  # lines before its segment in the document
    tree: ast.Module | None = None
    error: tuple[int, int, str] | None = None  # relative line, col, message
    facts: Any = field(default=None, repr=False)  # ChunkFacts, built on demand
    reach: int = 0  # for a broken chunk: how many lines its merge attempts covered

    @property
    def first_line(self) -> int:
        """1-based document line of the chunk's first line."""
        return self.offset + self.start_line

    @property
    def last_line(self) -> int:
        return self.first_line + self.line_count - 1

    def absolute_line(self, relative: int) -> int:
        return self.offset + self.start_line + relative - 1

    def problem(self) -> ParseProblem | None:
        if self.error is None:
            return None
        line, col, message = self.error
        return ParseProblem(self.absolute_line(line), col, message)


def parse_chunk(text: str) -> tuple[ast.Module | None, tuple[int, int, str] | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not ours to report
            return ast.parse(text), None
    except SyntaxError as exc:
        line = exc.lineno or 1
        return None, (line, max((exc.offset or 1) - 1, 0), exc.msg or "invalid syntax")
    except (ValueError, RecursionError, MemoryError) as exc:
        # ValueError: NUL bytes; RecursionError/MemoryError: absurdly deep nesting.
        return None, (1, 0, f"cannot parse: {type(exc).__name__}")


def is_boundary(line: str) -> bool:
    """Could this line start a new top-level statement?"""
    if not line or line[0] in " \t\r\n#\f":
        return False
    return CONTINUATION.match(line) is None


class ChunkSplitter:
    """Splits lines into parseable chunks, reusing known chunks by text."""

    def __init__(self, lines: list[str], known: dict[str, list[Chunk]] | None = None,
                 boundaries: list[int] | None = None, starts: list[int] | None = None):
        self.lines = lines
        self.known = known or {}
        self.boundaries = find_boundaries(lines) if boundaries is None else boundaries
        # First lines of the kept chunks below an edit: statements start there even where the line
        # alone cannot tell (a docstring's opening quote), so a re-split may end there, as a full parse does.
        self.starts = starts or []

    def split(self, start: int, stop: int, limit: int | None = None) -> list[Chunk]:
        """Chunks covering lines[start:stop] (0-based), every line in exactly one chunk.

        With `limit`, the last statement may run past `stop` (up to `limit`) if it needs to.
        """
        chunks: list[Chunk] = []
        begin = start
        while begin < stop:
            chunk = self.parse_from(begin, limit or stop)
            chunks.append(chunk)
            begin += chunk.line_count
        return chunks

    def parse_from(self, begin: int, limit: int) -> Chunk:
        """The shortest run of lines from `begin` (ending at a candidate boundary) that parses.

        Longer runs are tried at exponentially growing lengths, so a statement
        that never closes costs a few parses, not one per candidate. If none
        parses, the first segment alone becomes a broken chunk and the rest of
        the file is still analysed.
        """
        ends = self.candidate_ends(begin, limit)
        tried, found = -1, None
        step = 0
        while step < len(ends):
            chunk = self.make_chunk(begin, ends[step])
            if chunk.tree is not None:
                found = (step, chunk)
                break
            tried, step = step, step * 2 + 1
        if found is None:
            last = len(ends) - 1
            if tried != last and last >= 0:
                chunk = self.make_chunk(begin, ends[last])
                if chunk.tree is not None:
                    found = (last, chunk)
        if found is None:
            broken = self.make_chunk(begin, ends[0])
            broken.reach = ends[-1] - begin
            return broken
        return self.shortest_parse(begin, ends, tried + 1, *found)

    def shortest_parse(self, begin: int, ends: list[int], low: int, high: int, chunk: Chunk) -> Chunk:
        """Binary search for a shorter parse between candidates low..high (high parses)."""
        while low < high:
            mid = (low + high) // 2
            candidate = self.make_chunk(begin, ends[mid])
            if candidate.tree is not None:
                high, chunk = mid, candidate
            else:
                low = mid + 1
        return chunk

    def candidate_ends(self, begin: int, limit: int) -> list[int]:
        i = bisect.bisect_right(self.boundaries, begin)
        ends = [b for b in self.boundaries[i: i + MAX_MERGE] if b < limit]
        j = bisect.bisect_right(self.starts, begin)
        starts = [s for s in self.starts[j: j + MAX_MERGE] if s < limit]
        if starts:
            ends = sorted(set(ends).union(starts))[:MAX_MERGE]
        if len(ends) < MAX_MERGE:
            ends.append(limit)
        return ends

    def make_chunk(self, begin: int, end: int) -> Chunk:
        text = "".join(self.lines[begin:end])
        reusable = self.known.get(text)
        if reusable:
            chunk = reusable.pop()
        elif text in FAILED_PARSES:  # while a bracket stays open, every keystroke retries the same merges
            chunk = Chunk(text, end - begin, error=FAILED_PARSES[text])
        else:
            tree, error = parse_chunk(text)
            chunk = Chunk(text, end - begin, tree=tree, error=error)
            if error is not None:
                remember_failure(text, error)
        chunk.start_line = begin + 1
        return chunk


FAILED_PARSES: dict[str, tuple[int, int, str]] = {}
MAX_FAILED_PARSES = 64


def remember_failure(text: str, error: tuple[int, int, str]) -> None:
    if len(FAILED_PARSES) >= MAX_FAILED_PARSES:
        FAILED_PARSES.pop(next(iter(FAILED_PARSES)))  # oldest first: dicts keep insertion order
    FAILED_PARSES[text] = error


PYTHON_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines with their endings; only \\n, \\r\\n and \\r end a line (as in Python)."""
    lines = text.splitlines(keepends=True)
    python_breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if len(lines) != python_breaks + (not text.endswith(("\n", "\r")) and bool(text)):
        return PYTHON_LINES.findall(text)  # str.splitlines also broke on \f, \x1c, \u2028...
    return lines


def find_boundaries(lines: list[str], start: int = 0, stop: int | None = None) -> list[int]:
    """0-based indexes of the lines in [start, stop) that could start a statement."""
    stop = len(lines) if stop is None else stop
    return [i for i in range(start, stop) if is_boundary(lines[i])]


def chunk_document(lines: list[str]) -> list[Chunk]:
    """Chunks of a whole document: one full parse when it parses, else the splitter."""
    tree, _ = parse_chunk("".join(lines))
    if tree is None or not tree.body:
        return ChunkSplitter(lines).split(0, len(lines))
    groups: list[list[ast.stmt]] = []
    starts: list[int] = []
    for stmt in tree.body:
        start = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))]) - 1
        if groups and start <= starts[-1]:
            groups[-1].append(stmt)  # `a = 1; b = 2`: one line, one chunk
        else:
            groups.append([stmt])
            starts.append(start)
    starts[0] = 0  # leading comments and blank lines belong to the first chunk
    ends = starts[1:] + [len(lines)]
    chunks = []
    for body, begin, end in zip(groups, starts, ends):
        module = ast.Module(body=body, type_ignores=[])
        chunk = Chunk("".join(lines[begin:end]), end - begin, start_line=begin + 1, tree=module)
        chunk.facts = build_facts(module, line_shift=begin)  # rebases the nodes to the chunk's lines
        chunks.append(chunk)
    return chunks


def rechunk(old: list[Chunk], old_lines: list[str], lines: list[str],
            old_boundaries: list[int] | None = None) -> tuple[list[Chunk], list[int]]:
    """Chunks for `lines`, re-parsing only around the lines that differ from `old_lines`.

    Unchanged chunks before the edit are kept as they are; unchanged chunks
    after it are kept and shifted. Re-splitting starts one chunk before the
    edit (an edited line may continue it: an indented line, `else:`), or at an
    earlier broken chunk (the edit may be what closes its bracket or string).
    An edited region that does not parse on its own may swallow the chunks
    below it when that makes it parse (as a fresh parse would); otherwise it
    stays broken on its own and everything below keeps its findings.
    """
    if not old:
        return chunk_document(lines), find_boundaries(lines)
    prefix = common_prefix(old_lines, lines)
    if prefix == len(old_lines) == len(lines):
        return old, old_boundaries if old_boundaries is not None else find_boundaries(lines)
    suffix = common_suffix(old_lines, lines, prefix)
    old_changed_end = len(old_lines) - suffix  # first unchanged old line after the edit
    delta = len(lines) - len(old_lines)
    boundaries = shifted_boundaries(old_boundaries, lines, prefix, old_changed_end, delta)
    first = max(index_of_chunk_at(old, prefix) - 1, 0)
    reaching = [i for i, c in enumerate(old[:first]) if c.tree is None and c.start_line - 1 + c.reach >= prefix]
    first = min([first] + reaching[:1])

    result = old[:first]
    tail = [c for c in old[first:] if c.start_line - 1 >= old_changed_end]
    replaced = old[first: len(old) - len(tail)]
    tail_index = {c.start_line - 1 + delta: i for i, c in enumerate(tail)}
    tail_starts = sorted(tail_index)
    splitter = ChunkSplitter(lines, known_by_text(replaced), boundaries, tail_starts)
    begin = old[first].start_line - 1
    while begin < len(lines):
        if begin in tail_index:
            for chunk in tail[tail_index[begin]:]:
                chunk.start_line += delta
                result.append(chunk)
            break
        stop = next((s for s in tail_starts if s > begin), len(lines))
        # A statement may run past `stop`: the edit may open a bracket or string a later line closes.
        result.extend(splitter.split(begin, stop, limit=len(lines)))
        begin = result[-1].start_line - 1 + result[-1].line_count
    return result, boundaries


def shifted_boundaries(old: list[int] | None, lines: list[str], prefix: int, old_changed_end: int,
                       delta: int) -> list[int]:
    """Boundaries after an edit: unchanged lines keep theirs (shifted), edited lines are re-scanned."""
    if old is None:
        return find_boundaries(lines)
    before = old[: bisect.bisect_left(old, prefix)]
    after = [b + delta for b in old[bisect.bisect_left(old, old_changed_end):]]
    return before + find_boundaries(lines, prefix, old_changed_end + delta) + after


def known_by_text(chunks: list[Chunk]) -> dict[str, list[Chunk]]:
    known: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        known.setdefault(chunk.text, []).append(chunk)
    return known


def index_of_chunk_at(chunks: list[Chunk], line0: int) -> int:
    """Index of the chunk holding 0-based line `line0` (or the last chunk)."""
    lo, hi = 0, len(chunks) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if chunks[mid].start_line - 1 <= line0:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_prefix(a: list[str], b: list[str]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def common_suffix(a: list[str], b: list[str], prefix: int) -> int:
    n = min(len(a), len(b)) - prefix
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i
