"""Where names are bound: assignments, loop targets and parameters, per scope.

Rules that ask "what is `clf` here?" look the name up from the place it is
used: the latest binding before that place in its own function, else in the
enclosing functions, else at module level (class bodies are skipped, as Python
does). The index is built once per module model and shared by the rules.
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass

from .facts import SCOPE_TYPES, ancestors, enclosing_scope

COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

Position = tuple[int, int]  # (document line, column): program order within one document


@dataclass(frozen=True, slots=True)
class Binding:
    name: str
    scope: ast.AST | None  # the function, lambda or class binding it; None at module level
    position: Position  # where the binding takes effect (the end of an assignment)
    kind: str  # "value" | "loop" | "parameter" | "definition" | "other"
    value: ast.AST | None  # the assigned expression; the iterable for "loop"


class NameBindings:
    def __init__(self, model):
        self.model = model
        self.by_scope: dict[tuple[int, str], list[Binding]] = {}
        for kind in (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.For, ast.AsyncFor, ast.With,
                     ast.AsyncWith, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                     *COMPREHENSIONS):
            for chunk, node in model.nodes(kind):
                for binding in bindings_of(node, chunk):
                    self.by_scope.setdefault((scope_key(binding.scope), binding.name), []).append(binding)
        for bindings in self.by_scope.values():
            bindings.sort(key=lambda b: b.position)

    def in_scope(self, scope: ast.AST | None, name: str) -> list[Binding]:
        return self.by_scope.get((scope_key(scope), name), [])

    def lookup(self, name: str, use: ast.AST, chunk=None) -> Binding | None:
        """The binding of `name` that reaches `use` (None: unbound here, or imported)."""
        chunk = chunk or self.model.chunk_of(use)
        where = position(chunk, use)
        for depth, scope in enumerate(scope_chain(use)):
            bindings = self.in_scope(scope, name)
            if not bindings:
                continue
            before = [b for b in bindings if b.position < where]
            if before:
                return before[-1]
            # A local bound only later is unbound here; an outer one may be bound by call time.
            return None if depth == 0 else bindings[0]
        return None


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
    return chunk.absolute_line(node.lineno), node.col_offset


def end_position(chunk, node: ast.AST) -> Position:
    return chunk.absolute_line(node.end_lineno or node.lineno), node.end_col_offset or 0


def bindings_of(node: ast.AST, chunk) -> list[Binding]:
    scope = enclosing_scope(node)
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
        if isinstance(node, ast.AnnAssign) and node.value is None:
            return []
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        where = end_position(chunk, node)
        return [b for target in targets for b in target_bindings(target, node.value, scope, where, "value")]
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return target_bindings(node.target, node.iter, scope, end_position(chunk, node.target), "loop")
    if isinstance(node, (ast.With, ast.AsyncWith)):
        where = end_position(chunk, node.items[-1].context_expr)
        return [b for item in node.items if item.optional_vars is not None
                for b in target_bindings(item.optional_vars, None, scope, where, "other")]
    if isinstance(node, COMPREHENSIONS):  # visible from the start of the comprehension on
        where = position(chunk, node)
        return [b for generator in node.generators
                for b in target_bindings(generator.target, generator.iter, node, where, "loop")]
    if isinstance(node, SCOPE_TYPES):
        found = parameter_bindings(node, chunk)
        if not isinstance(node, ast.Lambda):
            found.append(Binding(node.name, scope, position(chunk, node), "definition", node))
        return found
    return []


def target_bindings(target, value, scope, where: Position, kind: str) -> list[Binding]:
    """Names bound by one assignment target; `a, b = x, y` pairs elements up."""
    if isinstance(target, ast.Name):
        return [Binding(target.id, scope, where, kind, value)]
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


def parameter_bindings(node, chunk) -> list[Binding]:
    if isinstance(node, ast.ClassDef):
        return []
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    where = position(chunk, node)
    return [Binding(name, node, where, "parameter", None) for name in names]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def name_bindings(model) -> NameBindings:
    """The bindings index of a module model, built once and shared by the rules."""
    index = _CACHE.get(model)
    if index is None:
        index = _CACHE[model] = NameBindings(model)
    return index
