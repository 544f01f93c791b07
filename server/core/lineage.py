"""Data lineage: where every data set in a module flows, in program order.

One flow-sensitive pass per scope (the module body across all chunks or notebook
cells, then each function body) gives every variable an abstract value
(values.py): which rows it holds, which fitted statistics shaped it, which
columns it has. Along the way the pass records *events*, the facts the ML2
rules query:

- fits: `fit`/`fit_transform`/`fit_resample`/`partial_fit` of a library object,
- statistics: a statistic of some rows applied to data (`df.fillna(df.mean())`),
- splits: `train_test_split`, a CV splitter's `.split()`, slicing by hand,
- uses: data trained on, evaluated on, or given to a cross-validation consumer.

The engine holds no rule logic: it only says what happened to which rows.
Expressions are evaluated by lineage_expr.py and lineage_calls.py.
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass, field

from .chunks import Chunk
from .lineage_calls import CallEvaluation
from .lineage_expr import ExpressionEvaluation
from .lineage_facts import LineageFacts
from .values import Data, Enumerated, SplitFolds, Tup, cut, merge

RELEVANT_ROOTS = ("sklearn", "imblearn", "category_encoders", "pandas", "numpy", "torch", "xgboost",
                  "lightgbm", "catboost", "tensorflow", "keras")


# ----- the walk -------------------------------------------------------------------------


class ScopeWalker(CallEvaluation, ExpressionEvaluation):
    """One scope's statements in program order, with the variables' values in `env`."""

    def __init__(self, model, facts: LineageFacts, counter: list[int], scope: ast.AST | None,
                 pending: list):
        self.model = model
        self.facts = facts
        self.counter = counter  # shared: ids and program order across scopes
        self.scope = scope
        self.pending = pending  # function bodies met on the way: analysed after this scope
        self.env: dict[str, object] = {}
        self.chunk: Chunk | None = None
        self.hand_splits: dict = {}
        self.has_call: set[int] = set()
        self.backward_loops: set[int] = set()

    def next_id(self) -> int:
        self.counter[0] += 1
        return self.counter[0]

    def enter_chunk(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.has_call, self.backward_loops = call_index(chunk)

    # ----- statements ----------------------------------------------------------------

    def run(self, statements) -> None:
        for stmt in statements:
            handler = STATEMENTS.get(type(stmt))
            if handler is not None:
                handler(self, stmt)

    def s_assign(self, stmt: ast.Assign) -> None:
        value = self.ev(stmt.value)
        for target in stmt.targets:
            self.bind(target, value, stmt.value)

    def s_annassign(self, stmt: ast.AnnAssign) -> None:
        if stmt.value is not None:
            self.bind(stmt.target, self.ev(stmt.value), stmt.value)

    def s_augassign(self, stmt: ast.AugAssign) -> None:
        load = _as_load(stmt.target)
        value = self.binary(stmt, self.ev(load), self.ev(stmt.value), load, stmt.value)
        self.bind(stmt.target, value, stmt)

    def s_expr(self, stmt: ast.Expr) -> None:
        if id(stmt.value) in self.has_call:
            self.ev(stmt.value)

    def s_return(self, stmt) -> None:
        if stmt.value is not None and id(stmt.value) in self.has_call:
            self.ev(stmt.value)

    def s_if(self, stmt: ast.If) -> None:
        self.ev(stmt.test)
        before = dict(self.env)
        self.run(stmt.body)
        after_body = self.env
        self.env = dict(before)
        self.run(stmt.orelse)
        self.env = merge_envs(after_body, self.env)

    def s_for(self, stmt) -> None:
        iterated = self.ev(stmt.iter)
        if id(stmt) in self.backward_loops:  # a torch training loop trains on what it iterates
            data = iterated if isinstance(iterated, Data) else None
            if data is not None:
                self.use("train", stmt, None, data, None)
        before = dict(self.env)
        self.bind(stmt.target, self.element_of(iterated), stmt.iter)
        self.run(stmt.body)
        self.env = merge_envs(before, self.env)  # the body may run zero times
        self.run(stmt.orelse)

    def s_while(self, stmt: ast.While) -> None:
        self.ev(stmt.test)
        before = dict(self.env)
        self.run(stmt.body)
        self.env = merge_envs(before, self.env)
        self.run(stmt.orelse)

    def s_with(self, stmt) -> None:
        for item in stmt.items:
            value = self.ev(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, None if isinstance(value, Data) else value, item.context_expr)
        self.run(stmt.body)

    def s_try(self, stmt) -> None:
        before = dict(self.env)
        self.run(stmt.body)
        self.run(stmt.orelse)
        after = self.env
        for handler in stmt.handlers:
            self.env = merge_envs(before, after)
            self.run(handler.body)
            after = merge_envs(after, self.env)
        self.env = after
        self.run(stmt.finalbody)

    def s_match(self, stmt) -> None:
        self.ev(stmt.subject)
        before = dict(self.env)
        merged = dict(before)
        for case in stmt.cases:
            self.env = dict(before)
            self.run(case.body)
            merged = merge_envs(merged, self.env)
        self.env = merged

    def s_function(self, stmt) -> None:
        self.env.pop(stmt.name, None)
        self.pending.append((self.chunk, stmt))

    def s_class(self, stmt: ast.ClassDef) -> None:
        """Methods are scopes of their own; the class body's other statements bind attributes."""
        self.env.pop(stmt.name, None)
        saved = self.env
        self.env = {}
        for inner in stmt.body:
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                STATEMENTS[type(inner)](self, inner)
        self.env = saved

    def s_import(self, stmt) -> None:
        for alias in stmt.names:
            self.env.pop((alias.asname or alias.name).split(".")[0], None)

    def s_delete(self, stmt: ast.Delete) -> None:
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                self.env.pop(target.id, None)
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                self.drop_column(target.value.id, target.slice)

    # ----- binding ---------------------------------------------------------------------

    def bind(self, target: ast.AST, value, source: ast.AST | None) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value.items if isinstance(value, Tup) else None
            plain = not any(isinstance(elt, ast.Starred) for elt in target.elts)
            for index, elt in enumerate(target.elts):
                item = items[index] if items is not None and plain and len(items) == len(target.elts) else None
                self.bind(elt, item, None)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            self.mutate(target, value)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, None, None)

    def element_of(self, iterated):
        """What a `for` loop binds on each iteration of `iterated`."""
        if isinstance(iterated, SplitFolds):
            train = Data(cut(iterated.rows, iterated.split_id, 0), index_like=True)
            test = Data(cut(iterated.rows, iterated.split_id, 1), index_like=True)
            return Tup((train, test))
        if isinstance(iterated, Enumerated):
            return Tup((None, self.element_of(iterated.inner)))
        if isinstance(iterated, Data):
            return Data(iterated.rows, iterated.taint)
        return None


def _as_load(target: ast.AST) -> ast.AST:
    return target  # the evaluator reads Name/Attribute/Subscript the same in either context


def merge_envs(a: dict, b: dict) -> dict:
    if a is b:
        return a
    merged = dict(a)
    for name, value in b.items():
        old = merged.get(name, value)
        merged[name] = value if old is value else merge(old, value)
    return merged


STATEMENTS = {
    ast.Assign: ScopeWalker.s_assign,
    ast.AnnAssign: ScopeWalker.s_annassign,
    ast.AugAssign: ScopeWalker.s_augassign,
    ast.Expr: ScopeWalker.s_expr,
    ast.Return: ScopeWalker.s_return,
    ast.If: ScopeWalker.s_if,
    ast.For: ScopeWalker.s_for,
    ast.AsyncFor: ScopeWalker.s_for,
    ast.While: ScopeWalker.s_while,
    ast.With: ScopeWalker.s_with,
    ast.AsyncWith: ScopeWalker.s_with,
    ast.Try: ScopeWalker.s_try,
    ast.Match: ScopeWalker.s_match,
    ast.FunctionDef: ScopeWalker.s_function,
    ast.AsyncFunctionDef: ScopeWalker.s_function,
    ast.ClassDef: ScopeWalker.s_class,
    ast.Import: ScopeWalker.s_import,
    ast.ImportFrom: ScopeWalker.s_import,
    ast.Delete: ScopeWalker.s_delete,
}
if hasattr(ast, "TryStar"):
    STATEMENTS[ast.TryStar] = ScopeWalker.s_try


# ----- per-chunk indexes (cached with the chunk's tree) ---------------------------------

_CALL_INDEX: "weakref.WeakKeyDictionary[ast.AST, tuple[set, set]]" = weakref.WeakKeyDictionary()


def call_index(chunk: Chunk) -> tuple[set, set]:
    """(ids of nodes with a call inside, ids of loops whose body calls `.backward()`)."""
    tree = chunk.tree
    cached = _CALL_INDEX.get(tree)
    if cached is not None:
        return cached
    with_call: set[int] = set()
    backward: set[int] = set()
    for call in chunk.facts.by_type.get(ast.Call, ()):
        node = call
        is_backward = isinstance(call.func, ast.Attribute) and call.func.attr == "backward"
        while node is not None and id(node) not in with_call:
            with_call.add(id(node))
            node = getattr(node, "_parent", None)
        if is_backward:
            node = getattr(call, "_parent", None)
            while node is not None:
                if isinstance(node, (ast.For, ast.AsyncFor)):
                    backward.add(id(node))
                node = getattr(node, "_parent", None)
    _CALL_INDEX[tree] = (with_call, backward)
    return with_call, backward


# ----- entry point ------------------------------------------------------------------------


def lineage_of(model) -> LineageFacts:
    """The module's lineage facts, computed once per analysis and shared by every ML2 rule."""
    cached = model.__dict__.get("_lineage_facts")
    if cached is not None:
        return cached
    facts = LineageFacts()
    if model.imports_any(*RELEVANT_ROOTS):
        analyse_module(model, facts)
    model.__dict__["_lineage_facts"] = facts
    return facts


def analyse_module(model, facts: LineageFacts) -> None:
    counter = [0]
    pending: list = []
    walker = ScopeWalker(model, facts, counter, None, pending)
    for chunk, _ in model.parsed:
        walker.enter_chunk(chunk)
        walker.run(chunk.tree.body)
    while pending:
        chunk, function = pending.pop(0)
        inner = ScopeWalker(model, facts, counter, function, pending)
        inner.enter_chunk(chunk)
        inner.run(function.body)
