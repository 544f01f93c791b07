"""Where names are bound: assignments, loop targets and parameters, per scope.

Rules that ask "what is `clf` here?" look the name up from the place it is
used: the latest binding before that place in its own function, else in the
enclosing functions, else at module level (class bodies are skipped, as Python
does). The index is built once per module model and shared by the rules.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from dataclasses import dataclass

from ..parse.syntax import SCOPE_TYPES, ancestors, enclosing_scope
from .module_model import per_version

COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

Position = tuple[int, int]  # (document line, column): program order within one document


@dataclass(frozen=True, slots=True)
class Binding:
    name: str
    scope: ast.AST | None  # the function, lambda or class binding it; None at module level
    position: Position  # where the binding takes effect (the end of an assignment)
    kind: str  # "value" | "loop" | "parameter" | "definition" | "other"
    value: ast.AST | None  # the assigned expression; the iterable for "loop"


BINDING_NODES = (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith,
                 ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, *COMPREHENSIONS)


class NameBindings:
    """Lookups are lazy: a function's bindings come from its own chunk's cached index, and
    module-level bindings of a name are gathered across chunks once per model."""

    def __init__(self, model):
        self.model = model
        self._chunks: list[tuple[object, dict]] | None = None
        self._module_level: dict[str, list[Binding]] = {}

    def module_level(self, name: str) -> list[Binding]:
        found = self._module_level.get(name)
        if found is None:
            if self._chunks is None:
                self._chunks = [(chunk, chunk_index(chunk.tree, facts)) for chunk, facts in self.model.parsed]
            key = (0, name)  # document order: the list stays sorted
            found = self._module_level[name] = [absolute(chunk, raw) for chunk, index in self._chunks
                                                for raw in index.get(key, ())]
        return found

    def in_scope(self, scope: ast.AST, name: str, chunk) -> list[Binding]:
        """Bindings of `name` in a function, lambda, class or comprehension (all in one chunk)."""
        return [absolute(chunk, raw) for raw in chunk_index(chunk.tree, chunk.facts).get((id(scope), name), ())]

    def lookup(self, name: str, use: ast.AST, chunk=None) -> Binding | None:
        """The binding of `name` that reaches `use` (None: unbound here, or imported)."""
        chunk = chunk or self.model.chunk_of(use)
        where = position(chunk, use)
        for depth, scope in enumerate(scope_chain(use)):
            bindings = self.module_level(name) if scope is None else self.in_scope(scope, name, chunk)
            if not bindings:
                continue
            before = bisect_left(bindings, where, key=lambda b: b.position)
            if before:
                return bindings[before - 1]
            # A local bound only later is unbound here; an outer one may be bound by call time.
            return None if depth == 0 else bindings[0]
        return None


def absolute(chunk, raw: tuple) -> Binding:
    name, scope, (line, col), kind, value = raw
    return Binding(name, scope, (chunk.absolute_line(line), col), kind, value)


def chunk_index(tree: ast.Module, facts) -> dict[tuple[int, str], list[tuple]]:
    """(scope id or 0 for the module, name) -> sorted [(name, scope, chunk-relative position, kind,
    value)] of one chunk; cached with its tree, so an edit elsewhere costs nothing here."""
    # Kept on the tree itself: in a WeakKeyDictionary the entries' nodes (linked to the tree by
    # `_parent`) kept every tree ever indexed alive, growing the server's memory on every edit.
    index = getattr(tree, "_binding_index", None)
    if index is None:
        index = {}
        for kind in BINDING_NODES:
            for node in facts.by_type.get(kind, ()):
                for raw in bindings_of(node):
                    index.setdefault((scope_key(raw[1]), raw[0]), []).append(raw)
        for entries in index.values():
            entries.sort(key=lambda raw: raw[2])
        tree._binding_index = index  # type: ignore[attr-defined]
    return index


def scope_key(scope: ast.AST | None) -> int:
    return 0 if scope is None else id(scope)


def scope_chain(node: ast.AST) -> list[ast.AST | None]:
    """The scopes a name used at `node` is looked up in, innermost first, module (None) last.

    Comprehensions are scopes of their own (their loop variables); a class body is
    seen only by code directly in it, not by its methods.
    """
    chain: list[ast.AST | None] = []
    for ancestor in ancestors(node):
        if isinstance(ancestor, COMPREHENSIONS):
            chain.append(ancestor)
        elif isinstance(ancestor, ast.ClassDef):
            if not chain:
                chain.append(ancestor)
        elif isinstance(ancestor, SCOPE_TYPES):
            chain.append(ancestor)
    chain.append(None)
    return chain


def position(chunk, node: ast.AST) -> Position:
    """Document position of a node's start."""
    return chunk.absolute_line(node.lineno), node.col_offset


def start_of(node: ast.AST) -> Position:
    return node.lineno, node.col_offset


def end_of(node: ast.AST) -> Position:
    return node.end_lineno or node.lineno, node.end_col_offset or 0


def bindings_of(node: ast.AST) -> list[tuple]:
    scope = enclosing_scope(node)
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
        if isinstance(node, ast.AnnAssign) and node.value is None:
            return []
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        where = end_of(node)
        return [b for target in targets for b in target_bindings(target, node.value, scope, where, "value")]
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return target_bindings(node.target, node.iter, scope, end_of(node.target), "loop")
    if isinstance(node, (ast.With, ast.AsyncWith)):
        where = end_of(node.items[-1].context_expr)
        return [b for item in node.items if item.optional_vars is not None
                for b in target_bindings(item.optional_vars, None, scope, where, "other")]
    if isinstance(node, COMPREHENSIONS):  # visible from the start of the comprehension on
        where = start_of(node)
        return [b for generator in node.generators
                for b in target_bindings(generator.target, generator.iter, node, where, "loop")]
    if isinstance(node, SCOPE_TYPES):
        found = parameter_bindings(node)
        if not isinstance(node, ast.Lambda):
            found.append((node.name, scope, start_of(node), "definition", node))
        return found
    return []


def target_bindings(target, value, scope, where: Position, kind: str) -> list[tuple]:
    """Names bound by one assignment target; `a, b = x, y` pairs elements up."""
    if isinstance(target, ast.Name):
        return [(target.id, scope, where, kind, value)]
    if isinstance(target, ast.Starred):
        return target_bindings(target.value, None, scope, where, "other")
    if isinstance(target, (ast.Tuple, ast.List)):
        paired = (
            kind == "value" and isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
            and not any(isinstance(e, ast.Starred) for e in (*value.elts, *target.elts))
        )
        found = []
        for index, element in enumerate(target.elts):
            if paired:
                found.extend(target_bindings(element, value.elts[index], scope, where, kind))
            elif kind == "loop":  # the element of an iterable of tuples: keep the iterable
                found.extend(target_bindings(element, value, scope, where, "loop"))
            else:
                found.extend(target_bindings(element, None, scope, where, "other"))
        return found
    return []  # attributes and subscripts bind no name


def parameter_bindings(node) -> list[tuple]:
    if isinstance(node, ast.ClassDef):
        return []
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    where = start_of(node)
    return [(name, node, where, "parameter", None) for name in names]


@per_version
def name_bindings(model) -> NameBindings:
    """The bindings index of a module model, built once and shared by the rules."""
    return NameBindings(model)
