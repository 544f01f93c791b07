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
Expressions are evaluated by expressions.py and calls.py.
"""

from __future__ import annotations

import ast
import itertools
from bisect import bisect_right
from dataclasses import dataclass

from ..model.module_model import per_version
from ..parse.chunks import Chunk
from ..parse.syntax import names_used
from .calls import CallEvaluation
from .effects import Effects
from .events import LineageFacts
from .expressions import ExpressionEvaluation
from .summaries import LocalCalls, names_in
from .values import Data, Enumerated, Function, Instance, LocalClass, Mapping, SplitFolds, Tup, cut, merge

RELEVANT_ROOTS = ("sklearn", "imblearn", "category_encoders", "pandas", "numpy", "torch", "xgboost",
                  "lightgbm", "catboost", "tensorflow", "keras")


# ----- the walk -------------------------------------------------------------------------


class ScopeWalker(LocalCalls, CallEvaluation, ExpressionEvaluation):
    """One scope's statements in program order, with the variables' values in `env`."""

    def __init__(self, model, scope: ast.AST | None):
        self.model = model
        self.scope = scope
        self.facts = LineageFacts()  # what the current chunk (or function) records
        self.pending: list = []  # function bodies met on the way: analysed as scopes of their own
        self.env: dict[str, object] = {}
        self.log: dict = {}  # name -> value before the first write in the current branch or chunk
        self.logs: list[dict] = []
        self.chunk: Chunk | None = None
        self.hand_splits: dict = {}
        self.known_splits: dict = {}  # every split of this scope so far, by id
        self.has_call: set[int] = set()
        self.backward_loops: set[int] = set()
        self.call_names: dict[int, str] = {}
        self.last_id = 0
        self.replay = None  # ids to take again (an iterator), when re-walking an edited chunk
        self.allocated: list | None = None  # ids taken by the current chunk
        self.out_of_order = False  # the re-walked chunk took an id after the next chunk's
        self.call_stack: list = []  # local functions being applied (summaries.py)
        self.home = None  # while applying another file's function: its ForeignModule (foreign.py)
        self.mutated: set = set()  # names written into in place, and names rebound, in the applied body
        self.rebound: set = set()
        self.effects = Effects()  # replaced by the document's (analyse_module)
        self.taken: list = []

    def next_id(self) -> int:
        """Ids are unique in the process, so facts reused from an earlier analysis never collide;
        they increase in program order within a scope, which makes them the events' order too.
        Re-walking an edited chunk first reuses the ids its previous walk could take (`ChunkRun.pool`),
        so an edit that does not change the data flow gives equal values, and one that does still
        orders the chunk's events before the next chunk's (the chunks after it can be reused)."""
        value = next(self.replay, None) if self.replay is not None else None
        if value is None:
            if self.replay is not None:  # past the pool: after the ids of the chunks that follow
                self.out_of_order, self.replay = True, None
            value = next(_IDS)
        if self.allocated is not None:
            self.allocated.append(value)
        if self.call_stack:  # inside an applied body: its effect will be renumbered (effects.py)
            self.taken.append(value)
        self.last_id = value
        return value

    def record_split(self, split) -> None:
        self.facts.add_split(split)
        self.known_splits[split.id] = split

    def enter_chunk(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.has_call, self.backward_loops, self.call_names = chunk_index(self.model, chunk)

    # ----- statements ----------------------------------------------------------------

    def run(self, statements) -> None:
        for stmt in statements:
            handler = STATEMENTS.get(type(stmt))
            if handler is not None:
                depth = len(self.logs)
                try:
                    handler(self, stmt)
                except RecursionError:  # an absurdly deep expression: learn nothing from this statement
                    while len(self.logs) > depth:
                        self.end_branch()

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
        if self.returns is not None:  # applying a function at a call: its value matters
            self.returned_value(stmt)
        elif stmt.value is not None and id(stmt.value) in self.has_call:
            self.ev(stmt.value)

    # Control flow: a branch's assignments are logged and undone, then merged into the state
    # before it (cost proportional to what the branch assigned, not to the number of variables).

    def s_if(self, stmt: ast.If) -> None:
        self.ev(stmt.test)
        self.begin_branch()
        self.run(stmt.body)
        body = self.end_branch()
        self.begin_branch()
        self.run(stmt.orelse)
        orelse = self.end_branch()
        self.join(body, orelse)

    def s_for(self, stmt) -> None:
        iterated = self.folds(self.ev(stmt.iter), stmt.iter)
        if id(stmt) in self.backward_loops:  # a torch training loop trains on what it iterates
            data = iterated if isinstance(iterated, Data) else None
            if data is not None:
                self.use("train", stmt, None, data, None)
        self.begin_branch()
        self.bind(stmt.target, self.element_of(iterated), stmt.iter)
        self.run(stmt.body)
        self.join(self.end_branch(), {})  # the body may run zero times
        self.run(stmt.orelse)

    def s_while(self, stmt: ast.While) -> None:
        self.ev(stmt.test)
        self.begin_branch()
        self.run(stmt.body)
        self.join(self.end_branch(), {})
        self.run(stmt.orelse)

    def s_with(self, stmt) -> None:
        for item in stmt.items:
            value = self.ev(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, None if isinstance(value, Data) else value, item.context_expr)
        self.run(stmt.body)

    def s_try(self, stmt) -> None:
        self.begin_branch()
        self.run(stmt.body)
        self.run(stmt.orelse)
        body = self.end_branch()
        self.join(body, {})  # an exception may come before any of it
        for handler in stmt.handlers:
            self.begin_branch()
            self.run(handler.body)
            self.join(self.end_branch(), {})
        self.run(stmt.finalbody)

    def s_match(self, stmt) -> None:
        self.ev(stmt.subject)
        for case in stmt.cases:
            self.begin_branch()
            self.run(case.body)
            self.join(self.end_branch(), {})

    def s_function(self, stmt) -> None:
        self.assign(stmt.name, Function(stmt, self.chunk, self.home))
        if self.returns is None:  # walked as a scope of its own once, not at every call
            self.pending.append((self.chunk, stmt))

    def s_class(self, stmt: ast.ClassDef) -> None:
        """Methods are scopes of their own; the class body's other statements bind attributes."""
        self.begin_branch()
        for inner in stmt.body:
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                STATEMENTS[type(inner)](self, inner)
        self.end_branch()  # method names are class attributes, not module variables
        self.assign(stmt.name, LocalClass(stmt, self.chunk, self.home))

    def s_import(self, stmt) -> None:
        for alias in stmt.names:
            self.unassign((alias.asname or alias.name).split(".")[0])

    def s_delete(self, stmt: ast.Delete) -> None:
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                self.unassign(target.id)
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                self.drop_column(target.value.id, target.slice)

    # ----- the state: every write is logged so a branch (or a chunk) can be undone --------

    def assign(self, name: str, value) -> None:
        log = self.log
        if name not in log:
            log[name] = self.env.get(name, MISSING)
        self.env[name] = value

    def unassign(self, name: str) -> None:
        if name in self.env:
            self.assign(name, None)
            del self.env[name]

    def begin_branch(self) -> None:
        self.logs.append(self.log)
        self.log = {}

    def end_branch(self) -> dict:
        """Undo the branch's writes; return what they were (name -> value, MISSING if deleted)."""
        log, env = self.log, self.env
        changes = {name: env.get(name, MISSING) for name in log}
        for name, before in log.items():
            if before is MISSING:
                env.pop(name, None)
            else:
                env[name] = before
        self.log = self.logs.pop()
        return changes

    def join(self, first: dict, second: dict) -> None:
        """After two paths (each a dict of changes, absent = unchanged): what either may hold."""
        env = self.env
        for name in first.keys() | second.keys():
            before = env.get(name)
            a = first.get(name, before)
            b = second.get(name, before)
            a = None if a is MISSING else a
            b = None if b is MISSING else b
            self.assign(name, a if a is b else merge(a, b))

    # ----- binding ---------------------------------------------------------------------

    def is_instance_attribute(self, node: ast.AST) -> bool:
        """`name.attr` where `name` is an object of a local class."""
        return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
            isinstance(self.env.get(node.value.id), Instance)

    def bind(self, target: ast.AST, value, source: ast.AST | None) -> None:
        if isinstance(target, ast.Name):
            self.assign(target.id, value)
            self.rebound.add(target.id)
        elif self.is_instance_attribute(target):  # `self.scaler = ...`
            self.assign(target.value.id, self.env[target.value.id].with_attr(target.attr, value))
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and \
                isinstance(self.env.get(target.value.id), Mapping):  # `data["X_test"] = ...`
            key = self.literal_columns(target.slice)
            if isinstance(key, str):
                self.assign(target.value.id, self.env[target.value.id].with_item(key, value))
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


MISSING = object()  # "not bound" in undo logs


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

_IDS = itertools.count(1)
SPARE_IDS = 8  # reserved after each chunk's ids: its re-walk may take a few more and keep the order


def chunk_index(model, chunk: Chunk) -> tuple[set, set, dict]:
    """(ids of nodes with a call inside, ids of loops whose body calls `.backward()`,
    call id -> resolved name). Built once per chunk tree and import table."""
    tree = chunk.tree
    facts = chunk.facts
    cached = getattr(tree, "mlreview_lineage_index", None)  # kept on the tree: it lives as long
    if cached is not None and cached[0] is facts.resolved_for:
        return cached[1:]
    with_call: set[int] = set()
    backward: set[int] = set()
    for call in facts.by_type.get(ast.Call, ()):
        node = call
        while node is not None and id(node) not in with_call:
            with_call.add(id(node))
            node = getattr(node, "_parent", None)
        if isinstance(call.func, ast.Attribute) and call.func.attr == "backward":
            node = getattr(call, "_parent", None)
            while node is not None:
                if isinstance(node, (ast.For, ast.AsyncFor)):
                    backward.add(id(node))
                node = getattr(node, "_parent", None)
    names = {id(call): name for name, calls in facts.calls_by_name.items() for call in calls}
    tree.mlreview_lineage_index = (facts.resolved_for, with_call, backward, names)
    return with_call, backward, names


# ----- entry point ------------------------------------------------------------------------


@per_version
def lineage_of(model) -> LineageFacts:
    """The module's lineage facts, computed once per analysis and shared by every ML2 rule."""
    facts = LineageFacts()
    if model.imports_any(*RELEVANT_ROOTS) or model.external.definitions:
        _ = model.call_index  # resolves every chunk's calls (cached per chunk)
        analyse_module(model, facts)
    return facts


@dataclass(eq=False, slots=True)
class ChunkRun:
    """One top-level chunk's walk: what it recorded and how to undo its writes to the state."""

    tree: ast.AST
    undo: dict  # name -> value before this chunk (MISSING: unbound)
    hand_split_keys: list  # hand splits this chunk registered
    recorded: LineageFacts
    pending: list
    ids: list  # the ids it took, in order
    pool: list = None  # the ids a re-walk may take, in order: those plus spare ones before the next chunk's
    in_order: bool = True  # a re-walk took only ids of its pool: its events stay before the next chunk's
    records: bool = True  # its walk recorded something (`recorded` is not empty)
    reads_splits: bool = False  # its walk looked splits up by id or by key (not through a variable)


@dataclass(eq=False, slots=True)
class ModuleRun:
    imports_key: tuple
    runs: list
    env_after: dict  # never mutated once stored: walks start from copies
    hand_splits_after: dict
    # id(function node) -> (node, facts or None, nested functions, helpers used) of its last walk
    functions: dict = None
    external: object = None  # the other files' definitions it applied at calls (model.external.definitions)
    effects: Effects = None  # the applied bodies' effects, for the next version's walk


def analyse_module(model, facts: LineageFacts) -> None:
    """Walk the module scope chunk by chunk, reusing the previous walk of this document for the
    chunks before an edit (and after it, when the edit only changed function or class bodies)."""
    imports_key = tuple(model.imports.items())
    chunks = [chunk for chunk, _ in model.parsed]
    previous = None
    if model.previous is not None:
        # Taken, not shared: reused chunk walks refer to older models, and a chain of models
        # each holding its walk would keep every version of the document alive.
        previous, model.previous.lineage_run = model.previous.lineage_run, None
        if previous is not None and previous.external != model.external.definitions:
            previous = None  # other files' helpers are known now, or changed: their calls walk otherwise
    renamed = renamed_imports(previous, imports_key)
    old = previous.runs if previous is not None else []
    trees = [chunk.tree for chunk in chunks]
    prefix = 0
    while prefix < min(len(old), len(trees)) and old[prefix].tree is trees[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(trees)) - prefix and old[-1 - suffix].tree is trees[-1 - suffix]:
        suffix += 1
    if renamed:  # an import edit: every chunk naming an import that changed meaning is walked again
        users = [i for i, (_, chunk_facts) in enumerate(model.parsed) if names_used(chunk_facts) & renamed]
        if users:
            prefix = min(prefix, users[0])
            suffix = min(suffix, len(chunks) - 1 - users[-1])
    walker = ScopeWalker(model, None)
    if previous is not None:
        walker.effects = previous.effects
    if previous is not None and prefix:
        walker.env, walker.hand_splits = state_before(previous, prefix)
    runs = list(old[:prefix])
    for run in runs:
        walker.known_splits.update(run.recorded.split_by_id)
    old_middle, tail = old[prefix:len(old) - suffix], old[len(old) - suffix:]
    new_middle = chunks[prefix:len(chunks) - suffix]
    replaying = suffix > 0 and len(old_middle) == len(new_middle)
    for index, chunk in enumerate(new_middle):
        runs.append(walk_chunk(walker, chunk, old_middle[index].pool if replaying else None))
    changed = changed_names(walker, old_middle, runs[len(runs) - len(new_middle):], tail, previous) \
        if replaying else None
    if changed is not None and not changed:  # the state after the edit is what it was: the rest holds
        runs.extend(tail)
        current = ModuleRun(imports_key, runs, previous.env_after, previous.hand_splits_after)
    else:
        runs += walk_tail(walker, list(model.parsed[len(chunks) - suffix:]), tail, changed, previous)
        current = ModuleRun(imports_key, runs, walker.env, walker.hand_splits)
    pending = []
    for run in runs:
        if run.records:
            facts.absorb(run.recorded)
        if run.pending:
            pending.extend(run.pending)
    module_definitions = {name: value for name, value in current.env_after.items()
                          if isinstance(value, (Function, LocalClass))}
    current.functions = analyse_functions(model, facts, pending, previous.functions if previous else {}, renamed,
                                          walker.effects, module_definitions)
    current.external = model.external.definitions
    current.effects = walker.effects
    model.lineage_run = current


def renamed_imports(previous: "ModuleRun | None", imports_key: tuple) -> set[str]:
    """Aliases whose meaning changed since the previous walk (none when the imports are the same)."""
    if previous is None or previous.imports_key == imports_key:
        return set()
    old, new = dict(previous.imports_key), dict(imports_key)
    return {alias for alias in old.keys() | new.keys() if old.get(alias) != new.get(alias)}


def state_before(previous: ModuleRun, index: int) -> tuple[dict, dict]:
    """The module state before chunk `index` of the previous walk: its final state, undone back."""
    env, hand_splits = dict(previous.env_after), dict(previous.hand_splits_after)
    for run in reversed(previous.runs[index:]):
        for name, before in run.undo.items():
            if before is MISSING:
                env.pop(name, None)
            else:
                env[name] = before
        for key in run.hand_split_keys:
            hand_splits.pop(key, None)
    return env, hand_splits


def walk_chunk(walker: ScopeWalker, chunk: Chunk, replay: list | None = None) -> ChunkRun:
    """`replay`: the pool of the chunk's previous walk, when it is walked again in place."""
    walker.model.cancellation.check()
    run = ChunkRun(chunk.tree, {}, [], LineageFacts(), [], [])
    walker.facts, walker.pending, walker.log = run.recorded, run.pending, run.undo
    walker.replay, walker.allocated = (iter(replay) if replay else None), run.ids
    walker.out_of_order = False
    known = len(walker.hand_splits)
    walker.calls_made = 0  # the budget of applied functions is per chunk, so a re-walk of one chunk agrees
    walker.shared_state_read = False
    walker.enter_chunk(chunk)
    walker.run(chunk.tree.body)
    run.reads_splits = walker.shared_state_read
    walker.replay, walker.allocated = None, None
    run.in_order = not walker.out_of_order
    run.pool = replay if replay and run.in_order else run.ids + [next(_IDS) for _ in range(SPARE_IDS)]
    run.hand_split_keys = list(walker.hand_splits)[known:]
    run.records = run.recorded.holds_anything()
    return run


def changed_names(walker: ScopeWalker, old_middle: list, new_middle: list, tail: list,
                  previous: ModuleRun) -> set | None:
    """The variables whose value after the re-walked chunks differs from the old walk's (only those
    either walk wrote can), and SPLITS_MOVED when the splits they made differ; None when a re-walk
    ran past its pool of ids (then nothing after holds)."""
    if not all(run.in_order for run in new_middle):
        return None
    names = set().union(*(run.undo.keys() for run in old_middle), *(run.undo.keys() for run in new_middle))
    old = OldValues(previous, tail)
    changed = {name for name in names if differs(walker.env.get(name, MISSING), old.after(-1, name))}
    if not same_splits(old_middle, new_middle):
        changed.add(SPLITS_MOVED)
    return changed


def same_splits(old_runs: list, new_runs: list) -> bool:
    return [key for run in old_runs for key in run.hand_split_keys] == \
        [key for run in new_runs for key in run.hand_split_keys] and \
        [(s.id, s.kind) for run in old_runs for s in run.recorded.splits] == \
        [(s.id, s.kind) for run in new_runs for s in run.recorded.splits]


# In a set of changed names: a re-walk made other splits (or gave them other ids). A later chunk that
# looked splits up (by a hand split's key, or by the id a value's rows carry) must be walked again;
# one that reached splits only through variables is walked again if one of those changed.
SPLITS_MOVED = "<splits moved>"


def differs(new, old) -> bool:
    return (new is MISSING) != (old is MISSING) or new != old


class OldValues:
    """The values variables had in the previous walk after each chunk of its tail: what the next
    chunk writing the variable found there (its undo), else the walk's final value."""

    def __init__(self, previous: ModuleRun | None, tail: list):
        self.previous = previous
        self.tail = tail
        self.writers: dict[str, list[int]] | None = None  # name -> indexes of the tail chunks writing it

    def after(self, index: int, name: str):
        """The value after tail chunk `index` (-1: before the tail)."""
        if self.writers is None:
            self.writers = {}
            for position, run in enumerate(self.tail):
                for written in run.undo:
                    self.writers.setdefault(written, []).append(position)
        writers = self.writers.get(name, ())
        later = bisect_right(writers, index)
        return self.tail[writers[later]].undo[name] if later < len(writers) \
            else self.previous.env_after.get(name, MISSING)


def walk_tail(walker: ScopeWalker, parsed: list, tail: list, changed: set | None, previous) -> list:
    """The chunks after the re-walked ones. One that names no variable whose value changed (an edited
    helper, data that now flows differently), nor looked splits up while splits moved, keeps its old
    walk, whose writes are replayed; the others are walked again. With `changed` None, every one is."""
    runs = []
    old = OldValues(previous, tail)
    for index, (chunk, chunk_facts) in enumerate(parsed):
        old_run = tail[index]
        if changed is not None and not names_used(chunk_facts) & changed and \
                not (old_run.reads_splits and SPLITS_MOVED in changed):
            for name in old_run.undo:
                value = old.after(index, name)
                if value is MISSING:
                    walker.env.pop(name, None)
                else:
                    walker.env[name] = value
            for key in old_run.hand_split_keys:
                walker.hand_splits[key] = previous.hand_splits_after[key]
            walker.known_splits.update(old_run.recorded.split_by_id)
            runs.append(old_run)
            continue
        run = walk_chunk(walker, chunk, old_run.pool if changed is not None else None)
        runs.append(run)
        if changed is None:
            continue
        if not run.in_order:
            changed = None  # later events could not keep their order: walk the rest again
            continue
        if not same_splits([old_run], [run]):
            changed.add(SPLITS_MOVED)
        for name in run.undo.keys() | old_run.undo.keys():
            if differs(walker.env.get(name, MISSING), old.after(index, name)):
                changed.add(name)
            else:
                changed.discard(name)
    return runs


def analyse_functions(model, facts: LineageFacts, pending: list, previous: dict,
                      renamed: set[str] = frozenset(), effects: Effects | None = None,
                      module_definitions: dict | None = None) -> dict:
    """Each function body is a scope of its own; its facts depend only on its own code, the
    module's functions and classes it calls (`main()` calling `load()`) and the imports, so an
    unchanged function whose helpers are unchanged reuses its last walk.
    Returns the walks of this analysis' functions (kept with the document, not globally, so
    nothing outlives the document's trees)."""
    walked: dict = {}
    while pending:
        model.cancellation.check()
        chunk, function = pending.pop(0)
        helpers = helpers_of(function, module_definitions or {})
        used = tuple((name, value.node) for name, value in helpers.items())
        cached = previous.get(id(function))
        stale = renamed and names_used(chunk.facts) & renamed
        if cached is None or cached[0] is not function or cached[3] != used or stale:
            walker = ScopeWalker(model, function)
            if effects is not None:
                walker.effects = effects
            walker.env = dict(helpers)  # the body's own bindings shadow them as it runs
            walker.enter_chunk(chunk)
            walker.run(function.body)
            cached = (function, walker.facts if walker.facts.holds_anything() else None, walker.pending, used)
        walked[id(function)] = cached
        if cached[1] is not None:
            facts.absorb(cached[1])
        pending.extend(cached[2])
    return walked


def helpers_of(function: ast.AST, module_definitions: dict) -> dict:
    """The module-level functions and classes a function's body names, but itself."""
    return {name: value for name in names_in(function)
            if (value := module_definitions.get(name)) is not None and value.node is not function}
