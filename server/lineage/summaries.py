"""Calls of the document's own functions, lambdas and classes: the callee's body applied at the call.

A mixin of the lineage walker (walker.py). A helper that scales the frame it is
given, splits it, or resamples it does so to the caller's rows, so a call walks
the callee's body with its parameters bound to the arguments' values: the
callee's fits, statistics, splits and uses are recorded in the caller's scope
(each event keeps `via`, the call sites it happened under, so a finding can name
the helper and the call that passed the data), and the call's value is what the
body returns. Methods of local classes run with `self` bound to an `Instance`
whose attributes carry what `fit` stored (a scaler on `self`) to later calls.

The callee is walked with the arguments' values, not once for all calls: its
effect depends on which rows it is given. What keeps this cheap is the walk's
reuse: an unchanged chunk is not walked again, so an edit elsewhere re-applies
no helper, and the callee's chunk indexes are cached with its tree; a re-walked
call whose inputs are unchanged applies the effect its body had (effects.py).
Functions and classes of other workspace files (foreign.py) are applied the same
way, their names resolved through their own file's imports. Recursion and
deep call chains stop at `MAX_DEPTH`; a chunk (or a function's own walk) applies at most
`MAX_CALLS` bodies.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from .effects import Effect, Effects, Renumbering, checked
from .events import FitEvent, LineageFacts
from .foreign import callee_of
from .values import Data, Function, Instance, LocalClass, Obj, Statistic, merge

MAX_DEPTH = 3
MAX_CALLS = 300
TRANSFORMING_METHODS = frozenset({"transform", "fit_transform"})
# pandas methods that call a function with the whole frame or with each whole column.
FRAME_FUNCTION_METHODS = frozenset({"pipe", "apply", "transform"})


class LocalCalls:
    """Applying local functions at their call sites; the walker provides env, run, ev, assign."""

    call_stack: list  # the definitions being applied (no recursion)
    calls_made: int = 0
    returns: list | None = None  # the values `return` gave, while applying a body
    via: tuple = ()
    quiet_statistics: bool = False  # in a user transformer's transform: its statistics are its fit's
    effects: Effects  # the document's cache of applied bodies (effects.py)
    taken: list  # the ids taken while applying bodies
    shared_state_read: bool = False  # the body read state its effect's key does not cover

    def local_arguments(self, node: ast.Call) -> tuple[list, dict]:
        """The arguments' values; an unbound name (a notebook's earlier variable) passed in is data, the
        same data at every call (so `prep.fit(X)` and `prep.transform(X)` see the same rows)."""
        args, kwargs = self.arguments(node)
        for index, arg in enumerate(node.args):
            if index < len(args) and args[index] is None and self.unbound(arg):
                args[index] = self.as_data(None, arg)
        return args, kwargs

    def call_local(self, node: ast.Call, callee):
        """`helper(X)` or `Cls(...)`: the value of the call, after its body's effects on the data."""
        args, kwargs = self.local_arguments(node)
        if isinstance(callee, LocalClass):
            instance = Instance(callee, self.next_id())
            init = callee.method("__init__")
            if init is None:
                return instance
            _, after = self.apply(node, init, args, kwargs, instance)
            return after if isinstance(after, Instance) else instance
        returned, _ = self.apply(node, callee, args, kwargs)
        return returned

    def instance_method(self, node: ast.Call, attr: str, instance: Instance, receiver_node: ast.AST):
        """`obj.fit(X)` on an object of a local class: its method, with `self` the object."""
        method = instance.cls.method(attr)
        if method is None:
            self.skip_arguments(node)
            return None
        args, kwargs = self.local_arguments(node)
        transforms = attr in TRANSFORMING_METHODS and bool(instance.fits)
        quiet, self.quiet_statistics = self.quiet_statistics, self.quiet_statistics or transforms
        try:
            returned, after = self.apply(node, method, args, kwargs, instance)
        finally:
            self.quiet_statistics = quiet
        if attr in ("fit", "fit_transform") and isinstance(after, Instance) and args and isinstance(args[0], Data):
            after, returned = self.user_transformer_fit(node, attr, after, args, returned)
        if transforms and isinstance(returned, Data):
            returned = returned.derive(taint=returned.taint | instance.fits)
        if isinstance(after, Instance) and isinstance(receiver_node, ast.Name):
            self.assign(receiver_node.id, after)
        if isinstance(returned, Instance) and returned.ident == instance.ident and isinstance(after, Instance):
            return after  # `return self`
        return returned

    def user_transformer_fit(self, node: ast.Call, attr: str, fitted: Instance, args: list, returned):
        """A local class with `fit` and `transform` whose `fit` stored a statistic of its input on
        `self` is a transformer (RULES.md ML201): its fit is recorded as one, and its `transform`
        applies that fit (not statistics of its own, which would be reported again as ML206)."""
        if fitted.cls.method("transform") is None or not any(isinstance(value, Statistic) for _, value in fitted.attrs):
            return fitted, returned
        data = args[0]
        obj = Obj(fitted.ident, fitted.cls.node.name, "transformer")
        event = FitEvent(self.next_id(), self.last_id, self.chunk, node, attr, obj, data,
                         args[1] if len(args) > 1 else None, node.args[0] if node.args else None, self.scope, self.via)
        self.facts.add_event(event)
        fitted = replace(fitted, fits=frozenset({event.id}))
        if isinstance(returned, Instance) and returned.ident == fitted.ident:
            returned = fitted
        elif attr == "fit_transform" and isinstance(returned, Data):
            returned = returned.derive(taint=returned.taint | {event.id})
        return fitted, returned

    def frame_function(self, node: ast.Call, attr: str, data: Data):
        """`df.pipe(f)`, `df.apply(f)` (by column), `df.assign(z=lambda d: ...)`: `f` sees whole columns.
        None when no local function is given (the caller treats the method as usual)."""
        if attr == "assign":
            candidates = [kw.value for kw in node.keywords]
        elif attr in FRAME_FUNCTION_METHODS and node.args and data.column is None and not row_wise(node):
            candidates = node.args[:1]
        else:
            return None
        if not any(self.is_function(candidate) for candidate in candidates):
            return None
        functions = [value for value in map(self.ev, candidates) if isinstance(value, Function)]
        taint = data.taint
        for function in functions:
            returned, _ = self.apply(node, function, [data], {})
            if isinstance(returned, Data):
                taint = taint | returned.taint
        for arg in node.args[1:]:
            if id(arg) in self.has_call:
                self.ev(arg)
        return data.derive(taint=taint, column=None)

    def foreign_callee(self, func: ast.AST):
        """The function or class of another workspace file that `func` names (`scale_all`,
        `prep.scale_all`), as facts/crossfile.py resolved the document's imports; None otherwise
        (also for a name the document binds itself)."""
        if not self.model.external.definitions or self.is_local(func):
            return None
        definition = self.model.external.definition(func)
        return callee_of(definition) if definition is not None else None

    def is_function(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Lambda) or isinstance(node, ast.Name) and isinstance(self.env.get(node.id), Function)

    # ----- applying a body -------------------------------------------------------------

    def apply(self, node: ast.Call, function: Function, args: list, kwargs: dict, bound=None):
        """(returned value, `self` after the call) of `function` applied to the arguments at `node`:
        its body walked, or the effect of an earlier walk with the same inputs applied again."""
        definition = function.node
        if definition in self.call_stack or len(self.call_stack) >= MAX_DEPTH or self.calls_made >= MAX_CALLS:
            return None, bound
        home = function.home
        # The functions and classes the body names (a helper calling another): the document's, or
        # those of the other file that defines it.
        known = home.definitions if home is not None else self.env
        definitions = {}
        for name in names_in(definition):
            value = known.get(name)
            if isinstance(value, (Function, LocalClass)):
                definitions[name] = value
        key = self.effect_key(function, definitions, args, kwargs, bound)
        effect = self.effects.find(key) if key is not None else None
        if effect is not None and self.calls_made + effect.calls < MAX_CALLS:
            self.effects.reuses += 1
            return self.reapply(node, definition, effect, bound)
        self.effects.walks += 1
        return self.walk_body(node, function, definitions, args, kwargs, bound, key)

    def effect_key(self, function: Function, definitions: dict, args: list, kwargs: dict, bound):
        """What the walk of a body depends on besides its own tree (effects.py); None if unhashable."""
        resolving = function.home.model if function.home is not None else self.model
        key = (function.node, resolving.imports_key, tuple((name, value.node) for name, value in definitions.items()),
               bound, tuple(args), tuple(sorted(kwargs.items())), self.quiet_statistics, tuple(self.call_stack))
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def walk_body(self, node: ast.Call, function: Function, definitions: dict, args: list, kwargs: dict, bound, key):
        definition = function.node
        home = function.home
        self.calls_made += 1
        calls_before = self.calls_made
        params = parameters(definition.args, ([bound] if bound is not None else []) + list(args), kwargs)
        env = dict(definitions)
        env.update((name, value) for name, value in params.items() if value is not None)
        saved = (self.env, self.log, self.logs, self.chunk, self.has_call, self.backward_loops, self.call_names,
                 self.returns, self.via, self.mutated, self.rebound, self.model, self.home, self.facts,
                 self.shared_state_read)
        outer_facts, taken_from = self.facts, len(self.taken)
        self.facts, self.shared_state_read = LineageFacts(), False
        if home is not None:  # its names resolve through its own file's imports
            self.model, self.home = home.model, home
            self.facts.homes[id(function.chunk)] = home
        self.env, self.log, self.logs, self.returns = env, {}, [], []
        self.mutated, self.rebound = set(), set()
        self.via = self.via + ((self.chunk, node, getattr(definition, "name", "lambda")),)
        prefix, scope = self.via, self.scope
        self.call_stack.append(definition)
        self.enter_chunk(function.chunk)
        try:
            if isinstance(definition, ast.Lambda):
                returned = self.ev(definition.body)
            else:
                self.run(definition.body)
                returned = None
                for value in self.returns:
                    returned = merge(returned, value)
            after, mutated, rebound = self.env, self.mutated, self.rebound
            recorded, read_shared = self.facts, self.shared_state_read
        finally:
            self.call_stack.pop()
            (self.env, self.log, self.logs, self.chunk, self.has_call, self.backward_loops, self.call_names,
             self.returns, self.via, self.mutated, self.rebound, self.model, self.home, self.facts,
             self.shared_state_read) = saved
        outer_facts.absorb(recorded)
        self.shared_state_read = self.shared_state_read or read_shared
        ids = self.taken[taken_from:]
        if not self.call_stack:
            self.taken.clear()  # only the ids taken inside a body matter
        changed = frozenset(mutated - rebound)
        first = positional_names(definition.args)[:1]
        kept = {name: after.get(name) for name in changed | set(first if bound is not None else ())}
        if key is not None and not read_shared and self.calls_made < MAX_CALLS:
            effect = Effect(ids, recorded, prefix, scope, returned, kept, changed, self.calls_made - calls_before + 1)
            if checked(effect):
                self.effects.keep(key, effect)
        self.write_back(node, definition, after, changed, bound)
        return returned, after.get(first[0]) if bound is not None and first else bound

    def reapply(self, node: ast.Call, definition, effect: Effect, bound):
        """An earlier walk's effect at this call: renumbered with new ids, its events under this call."""
        renumbering = Renumbering({old: self.next_id() for old in effect.ids})
        prefix = self.via + ((self.chunk, node, getattr(definition, "name", "lambda")),)
        cut = len(effect.prefix)
        facts = renumbering.facts(effect.facts, lambda via: prefix + via[cut:], self.scope)
        self.facts.absorb(facts)
        self.known_splits.update(facts.split_by_id)
        self.calls_made += effect.calls
        after = {name: renumbering.value(value) for name, value in effect.after.items()}
        self.write_back(node, definition, after, effect.mutated, bound)
        first = positional_names(definition.args)[:1]
        return renumbering.value(effect.returned), after.get(first[0]) if bound is not None and first else bound

    def write_back(self, node: ast.Call, definition, after: dict, mutated: set, bound) -> None:
        """A parameter changed in place (`df["a"] = ...`, `fillna(..., inplace=True)`) changes the
        caller's variable passed for it."""
        names = positional_names(definition.args)[1 if bound is not None else 0:]
        for index, arg in enumerate(node.args):
            if index < len(names) and names[index] in mutated and isinstance(arg, ast.Name) and \
                    isinstance(after.get(names[index]), Data):
                self.assign(arg.id, after[names[index]])
        for kw in node.keywords:
            if kw.arg in mutated and isinstance(kw.value, ast.Name) and isinstance(after.get(kw.arg), Data):
                self.assign(kw.value.id, after[kw.arg])

    def returned_value(self, stmt: ast.Return) -> None:
        self.returns.append(self.ev(stmt.value) if stmt.value is not None else None)


def names_in(definition) -> frozenset:
    """The names a definition's body reads (computed once per parse)."""
    names = getattr(definition, "_names_read", None)
    if names is None:
        names = frozenset(node.id for node in ast.walk(definition) if isinstance(node, ast.Name))
        definition._names_read = names
    return names


def positional_names(arguments: ast.arguments) -> list[str]:
    return [param.arg for param in (*arguments.posonlyargs, *arguments.args)]


def parameters(arguments: ast.arguments, args: list, kwargs: dict) -> dict:
    """Parameter name -> the value passed for it (absent: not passed, or a default)."""
    bound = {}
    for index, name in enumerate(positional_names(arguments)):
        if index < len(args):
            bound[name] = args[index]
        elif name in kwargs:
            bound[name] = kwargs[name]
    for param in arguments.kwonlyargs:
        if param.arg in kwargs:
            bound[param.arg] = kwargs[param.arg]
    return bound


def row_wise(node: ast.Call) -> bool:
    axis = next((kw.value for kw in node.keywords if kw.arg == "axis"), None)
    if axis is None and len(node.args) > 1 and isinstance(node.args[0], (ast.Name, ast.Lambda)):
        axis = node.args[1]
    return isinstance(axis, ast.Constant) and axis.value in (1, "columns")
