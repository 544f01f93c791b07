"""The module model: a document's chunks seen as one module.

Rules read the model: node indexes in program order, names resolved through
imports to qualified names (`SS` -> `sklearn.preprocessing.StandardScaler`),
and spans in document coordinates.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from functools import cached_property

from .chunks import Chunk
from .facts import ChunkFacts, ImportFact, build_facts, dotted_name
from .positions import Span, byte_to_char_col
from .source import CellSpan, SourceText

BUILTIN_NAMES = frozenset(dir(builtins))


def program_order(entry: tuple[Chunk, ast.AST]) -> tuple[int, int, int]:
    chunk, node = entry
    return (chunk.first_line + node.lineno, node.col_offset, 0)


def facts_of(chunk: Chunk) -> ChunkFacts | None:
    if chunk.tree is None:
        return None
    if chunk.facts is None:
        chunk.facts = build_facts(chunk.tree)
    return chunk.facts


class ModuleModel:
    def __init__(self, chunks: list[Chunk], lines: list[str], source: SourceText, path: str | None = None):
        self.chunks = chunks
        self.lines = lines
        self.source = source
        self.path = path
        self.parsed = [(chunk, facts) for chunk in chunks if (facts := facts_of(chunk)) is not None]
        self._chunk_of: dict[int, Chunk] = {}

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
        """Qualified name of a name or attribute chain, through imports."""
        name = dotted_name(expr)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        target = self.imports.get(head)
        if target is None:
            if head in BUILTIN_NAMES and head not in self.imports:
                target = "builtins." + head
            else:
                return None
        return f"{target}.{rest}" if rest else target

    def call_name(self, call: ast.Call) -> str | None:
        return self.resolve(call.func)

    # ----- node indexes -------------------------------------------------------

    def nodes(self, *types: type) -> Iterator[tuple[Chunk, ast.AST]]:
        """Every node of the given types, chunk by chunk in program order."""
        for chunk, facts in self.parsed:
            for node_type in types:
                for node in facts.by_type.get(node_type, ()):
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
        found = [(chunk, call, name) for name, entries in self.call_index.items() if predicate(name)
                 for chunk, call in entries]
        found.sort(key=lambda entry: program_order(entry[:2]))
        return iter(found)

    def method_calls(self, *methods: str) -> Iterator[tuple[Chunk, ast.Call]]:
        """`anything.fit(...)` for methods=("fit",): calls of an attribute, in program order."""
        found = [(chunk, call) for chunk, facts in self.parsed for method in methods
                 for call in facts.calls_by_method.get(method, ())]
        if len(methods) > 1:
            found.sort(key=program_order)
        return iter(found)

    @cached_property
    def call_index(self) -> dict[str, list[tuple[Chunk, ast.Call]]]:
        """Resolved name -> calls; per-chunk indexes are reused while the imports are unchanged."""
        key = tuple(self.imports.items())
        index: dict[str, list[tuple[Chunk, ast.Call]]] = {}
        for chunk, facts in self.parsed:
            if facts.resolved_for != key:
                self._index_calls(facts, key)
            for name, calls in facts.calls_by_name.items():
                entries = index.setdefault(name, [])
                entries.extend((chunk, call) for call in calls)
        return index

    def _index_calls(self, facts: ChunkFacts, key: tuple) -> None:
        index: dict[str, list[ast.Call]] = {}
        for call in facts.by_type.get(ast.Call, ()):
            name = self.resolve(call.func)
            if name is not None:
                index.setdefault(name, []).append(call)
        facts.calls_by_name = index
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

    def node_span(self, node: ast.AST) -> Span:
        return self.span(self.chunk_of(node), node)

    def cell_at(self, line: int) -> CellSpan | None:
        return self.source.cell_at(line)

    def text_of(self, chunk: Chunk, node: ast.AST) -> str:
        return ast.get_source_segment(chunk.text, node) or ""
