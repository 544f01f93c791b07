"""The module model: a document's chunks seen as one module.

Rules read the model: node indexes in program order, names resolved through
imports to qualified names (`SS` -> `sklearn.preprocessing.StandardScaler`),
and spans in document coordinates.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterator
from functools import cached_property, wraps
from typing import TypeVar

from ..parse.cancel import NEVER, Cancellation
from ..parse.chunks import Chunk
from ..parse.positions import Span, byte_to_char_col
from ..parse.source import CellSpan, SourceText
from ..parse.syntax import ChunkFacts, ImportFact, build_facts, qualified_name
from .external import EMPTY, ExternalFacts
from .versions import UNKNOWN, KnownVersions

BUILTIN_NAMES = frozenset(dir(builtins))


def call_head(func: ast.AST) -> str | None:
    """`np` for `np.random.seed`: the name a call's resolution depends on."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def program_order(entry: tuple[Chunk, ast.AST]) -> tuple[int, int, int]:
    chunk, node = entry
    return (chunk.first_line + node.lineno, node.col_offset, 0)


def facts_of(chunk: Chunk) -> ChunkFacts | None:
    if chunk.tree is None:
        return None
    if chunk.facts is None:
        chunk.facts = build_facts(chunk.tree)
    return chunk.facts


Index = dict[str, list[tuple[Chunk, ast.AST]]]

# A rule asks the same name question on every keystroke: remember each predicate's answer per name.
_VERDICTS: dict[tuple, dict[str, bool]] = {}


def predicate_verdicts(predicate) -> dict[str, bool]:
    """The answers cache of a predicate: by its code and captured values, when those are hashable."""
    try:
        cells = tuple(cell.cell_contents for cell in (getattr(predicate, "__closure__", None) or ()))
        key = (getattr(predicate, "__code__", predicate), getattr(predicate, "__self__", None), cells)
        hash(key)
    except (TypeError, ValueError):  # an unhashable capture or an empty cell: no cache
        return {}
    verdicts = _VERDICTS.get(key)
    if verdicts is None:
        if len(_VERDICTS) > 256:
            _VERDICTS.clear()
        verdicts = _VERDICTS[key] = {}
    return verdicts


def merged_index(parsed, per_chunk, previous_parsed=None, previous: Index | None = None,
                 replaced: dict[int, dict] | None = None) -> Index:
    """Merge per-chunk name indexes into one, in program order.

    Given the previous version's merged index, only the entries of chunks that
    left or arrived are touched (and of `replaced` chunks, id -> their old
    per-chunk index); unchanged chunks keep their relative order.
    """
    if previous is None:
        index: Index = {}
        for chunk, facts in parsed:
            for name, nodes in per_chunk(facts).items():
                index.setdefault(name, []).extend((chunk, node) for node in nodes)
        return index
    replaced = replaced or {}
    current = {id(chunk) for chunk, _ in parsed}
    before = {id(chunk) for chunk, _ in previous_parsed}
    leaving = [per_chunk(f) for c, f in previous_parsed if id(c) not in current] + list(replaced.values())
    arriving = [(c, f) for c, f in parsed if id(c) not in before or id(c) in replaced]
    gone = {id(c) for c, _ in previous_parsed if id(c) not in current} | set(replaced)
    index = dict(previous)
    dirty: set[str] = set()
    for names in leaving:
        for name in names:
            if name not in dirty:
                dirty.add(name)
                index[name] = [e for e in index.get(name, ()) if id(e[0]) not in gone]
    for chunk, facts in arriving:
        for name, nodes in per_chunk(facts).items():
            if name not in dirty:
                dirty.add(name)
                index[name] = list(index.get(name, ()))
            index[name].extend((chunk, node) for node in nodes)
    for name in dirty:
        if index[name]:
            index[name].sort(key=program_order)
        else:
            del index[name]
    return index


Fact = TypeVar("Fact")


def per_version(build: Callable[["ModuleModel"], Fact]) -> Callable[["ModuleModel"], Fact]:
    """Makes `build(model)` a fact of one document version: built on first request, then kept
    in `model.built_facts`, so it lives exactly as long as the model. The layers above the model
    declare their facts this way (the model cannot import them); a table keyed by model
    outside it would keep closed documents alive through values that point into them."""

    @wraps(build)
    def fact(model: "ModuleModel") -> Fact:
        facts = model.built_facts
        if build not in facts:
            facts[build] = build(model)
        return facts[build]

    return fact


class ModuleModel:
    # What other workspace files define (facts/crossfile.py finds it); the engine sets it when known.
    external: ExternalFacts = EMPTY
    # The library versions of the file's environment (model/versions.py); the engine sets them when known.
    versions: KnownVersions = UNKNOWN
    # Checked by long stages (the data-flow walk); the engine sets it for one analysis.
    cancellation: Cancellation = NEVER
    in_project: bool = False  # True: PROJECT-scope rules are judged over the project, not this file
    # This version's lineage walk (lineage/walker.py): the next version of the document, analysed
    # by the same DocumentAnalyzer, re-walks only what its edit changed.
    lineage_run: object = None

    def __init__(self, chunks: list[Chunk], lines: list[str], source: SourceText, path: str | None = None,
                 previous: "ModuleModel | None" = None):
        self.chunks = chunks
        self.previous = previous  # the last version's model: its indexes are updated, not rebuilt
        self.lines = lines
        self.source = source
        self.path = path
        self.parsed = [(chunk, facts) for chunk in chunks if (facts := facts_of(chunk)) is not None]
        self._chunk_of: dict[int, Chunk] = {}
        self.built_facts: dict[Callable, object] = {}  # the `per_version` facts of this version

    # ----- imports and names -------------------------------------------------

    @cached_property
    def import_facts(self) -> list[ImportFact]:
        return [fact for _, facts in self.parsed for fact in facts.imports]

    @cached_property
    def imports(self) -> dict[str, str]:
        """Alias -> qualified name; a later import of the same alias wins."""
        return {fact.alias: fact.qualname for fact in self.import_facts}

    @cached_property
    def imported_roots(self) -> frozenset[str]:
        """Top-level packages imported anywhere: {"numpy", "sklearn", ...}."""
        return frozenset(fact.qualname.split(".")[0] for fact in self.import_facts)

    def imports_any(self, *roots: str) -> bool:
        return any(root in self.imported_roots for root in roots)

    def resolve(self, expr: ast.AST) -> str | None:
        """Qualified name of a name or attribute chain, through imports (unimported builtins too)."""
        return qualified_name(expr, self.imports, BUILTIN_NAMES)

    def call_name(self, call: ast.Call) -> str | None:
        return self.resolve(call.func)

    # ----- node indexes -------------------------------------------------------

    def nodes(self, *types: type) -> Iterator[tuple[Chunk, ast.AST]]:
        """Every node of the given types, chunk by chunk in program order."""
        for chunk, facts in self.parsed:
            for node_type in types:
                for node in facts.by_type.get(node_type, ()):
                    yield chunk, node

    def chunk_scan(self, scan: Callable[[ChunkFacts], list]) -> Iterator[tuple[Chunk, ast.AST]]:
        """The nodes `scan(chunk_facts)` picks in each chunk, in chunk order. A scan must read only
        its chunk's tree (no imports, no other chunk): its answer is kept with the chunk's facts,
        so a keystroke rescans the edited chunk alone."""
        for chunk, facts in self.parsed:
            found = facts.scans.get(scan)
            if found is None:
                found = facts.scans[scan] = scan(facts)
            for node in found:
                yield chunk, node

    def calls(self, *qualnames: str) -> Iterator[tuple[Chunk, ast.Call]]:
        """Calls whose function resolves to one of `qualnames`, in program order."""
        index = self.call_index
        found = [entry for name in qualnames for entry in index.get(name, ())]
        if len(qualnames) > 1:
            found.sort(key=program_order)
        return iter(found)

    def calls_matching(self, predicate) -> Iterator[tuple[Chunk, ast.Call, str]]:
        """Calls whose resolved name satisfies `predicate(name)`, in program order."""
        verdicts = predicate_verdicts(predicate)
        found = []
        for name, entries in self.call_index.items():
            matches = verdicts.get(name)
            if matches is None:
                matches = verdicts[name] = bool(predicate(name))
            if matches:
                found.extend((chunk, call, name) for chunk, call in entries)
        found.sort(key=lambda entry: program_order(entry[:2]))
        return iter(found)

    def method_calls(self, *methods: str) -> Iterator[tuple[Chunk, ast.Call]]:
        """`anything.fit(...)` for methods=("fit",): calls of an attribute, in program order."""
        index = self.method_index
        found = [entry for method in methods for entry in index.get(method, ())]
        if len(methods) > 1:
            found.sort(key=program_order)
        return iter(found)

    @cached_property
    def method_index(self) -> dict[str, list[tuple[Chunk, ast.Call]]]:
        previous = self.previous
        reusable = previous is not None and "method_index" in previous.__dict__
        return merged_index(self.parsed, lambda facts: facts.calls_by_method,
                            previous.parsed if reusable else None, previous.method_index if reusable else None)

    @cached_property
    def imports_key(self) -> tuple:
        """The import table as one object, shared with the previous version while it is unchanged,
        so per-chunk caches check it by identity."""
        key = tuple(self.imports.items())
        previous = self.previous
        if previous is not None and "imports_key" in previous.__dict__ and previous.imports_key == key:
            return previous.imports_key
        return key

    @cached_property
    def call_index(self) -> dict[str, list[tuple[Chunk, ast.Call]]]:
        """Resolved name -> calls; per-chunk indexes are reused while the names they use resolve alike."""
        key = self.imports_key
        previous = self.previous
        reusable = previous is not None and "call_index" in previous.__dict__
        changed = self.changed_aliases(previous) if reusable else None
        replaced: dict[int, dict] = {}
        for chunk, facts in self.parsed:
            if facts.resolved_for is key:
                continue
            if changed is not None and facts.resolved_for is previous.imports_key and not facts.call_heads & changed:
                facts.resolved_for = key  # none of its names changed meaning
                continue
            if reusable and facts.resolved_for is previous.imports_key:
                replaced[id(chunk)] = facts.calls_by_name
            self._index_calls(facts, key)
        return merged_index(self.parsed, lambda facts: facts.calls_by_name,
                            previous.parsed if reusable else None, previous.call_index if reusable else None,
                            replaced)

    def changed_aliases(self, previous: "ModuleModel") -> set[str]:
        """Names whose meaning differs between the previous import table and this one."""
        old, new = previous.imports, self.imports
        return {alias for alias in old.keys() | new.keys() if old.get(alias) != new.get(alias)}

    def forget_previous(self) -> None:
        """Drop the link to the last version once the indexes are built (no chain of old models)."""
        self.previous = None

    def _index_calls(self, facts: ChunkFacts, key: tuple) -> None:
        index: dict[str, list[ast.Call]] = {}
        heads = set()
        for call in facts.by_type.get(ast.Call, ()):
            name = self.resolve(call.func)
            head = call_head(call.func)
            if head is not None:
                heads.add(head)
            if name is not None:
                index.setdefault(name, []).append(call)
        facts.calls_by_name = index
        facts.call_heads = frozenset(heads)
        facts.resolved_for = key

    def chunk_of(self, node: ast.AST) -> Chunk:
        """The chunk a node belongs to (nodes are unique to their chunk)."""
        root = node
        while (up := getattr(root, "_parent", None)) is not None:
            root = up
        if not self._chunk_of:
            self._chunk_of = {id(chunk.tree): chunk for chunk, _ in self.parsed}
        return self._chunk_of[id(root)]

    # ----- positions -----------------------------------------------------------

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def span(self, chunk: Chunk, node: ast.AST, end_node: ast.AST | None = None) -> Span:
        """Document span of a node (or from `node` to `end_node`) in code points."""
        end_node = end_node or node
        line = chunk.absolute_line(node.lineno)
        end_line = chunk.absolute_line(end_node.end_lineno or node.lineno)
        col = byte_to_char_col(self.line_text(line), node.col_offset)
        end_col = byte_to_char_col(self.line_text(end_line), end_node.end_col_offset or 0)
        return Span(line, col, end_line, end_col)

    def cell_at(self, line: int) -> CellSpan | None:
        return self.source.cell_at(line)

    def text_of(self, chunk: Chunk, node: ast.AST) -> str:
        """A node's source text. Not `ast.get_source_segment`, which splits the whole chunk
        on every call: quadratic when a rule quotes many nodes of one huge statement."""
        if getattr(node, "end_lineno", None) is None:
            return ""
        first, last = chunk.absolute_line(node.lineno), chunk.absolute_line(node.end_lineno)
        if first == last:
            return self.encoded_line(first)[node.col_offset:node.end_col_offset].decode("utf-8", "replace")
        parts = [self.encoded_line(first)[node.col_offset:]]
        parts.extend(self.encoded_line(line) for line in range(first + 1, last))
        parts.append(self.encoded_line(last)[:node.end_col_offset])
        return b"".join(parts).decode("utf-8", "replace")

    def encoded_line(self, line: int) -> bytes:
        """A line in UTF-8 (ast offsets count bytes), encoded once per analysis."""
        cache = self.__dict__.setdefault("_encoded_lines", {})
        if line not in cache:
            cache[line] = self.line_text(line).encode("utf-8", "surrogatepass")
        return cache[line]
