"""Random generators: which ones a file seeds, and where (shared by ML103 and ML104).

A generator is numpy's global RNG, the stdlib `random` module, torch's or
TensorFlow's. Seeding calls are the library seeders below, calls of local
helpers whose body seeds (found transitively), and calls of unknown helpers
named like `set_seed` (assumed to seed everything: precision first).
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from functools import cached_property

from ..model.calls import argument, has_star_kwargs
from ..model.module_model import per_version
from ..parse.syntax import ancestors, parent

NUMPY, STDLIB, TORCH, TENSORFLOW = "numpy", "random", "torch", "tensorflow"
EVERY_GENERATOR = frozenset({NUMPY, STDLIB, TORCH, TENSORFLOW})
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SEEDERS = {
    "numpy.random.seed": frozenset({NUMPY}),
    "random.seed": frozenset({STDLIB}),
    "torch.manual_seed": frozenset({TORCH}),
    "torch.random.manual_seed": frozenset({TORCH}),
    "tensorflow.random.set_seed": frozenset({TENSORFLOW}),
    "tensorflow.set_random_seed": frozenset({TENSORFLOW}),
    "tensorflow.compat.v1.set_random_seed": frozenset({TENSORFLOW}),
    "tensorflow.compat.v1.random.set_random_seed": frozenset({TENSORFLOW}),
}
LIGHTNING_ROOTS = frozenset({"lightning", "pytorch_lightning", "lightning_fabric"})
# Libraries whose seeding functions are all known here: another of their functions with
# "seed" in its name (torch.cuda.manual_seed, torch.initial_seed) does not seed what we track.
KNOWN_ROOTS = frozenset({
    "numpy", "random", "torch", "tensorflow", "keras", "transformers", "accelerate", "sklearn", "pandas",
    "scipy", "builtins", "trl", *LIGHTNING_ROOTS,
})
NEVER = (1 << 62, 0)  # a position after every real one
# A line starting with a SEED-like name (the newline first: much faster than `^` with MULTILINE).
SEED_NAME_AT_LINE_START = re.compile(r"\n(?:seed|random_state|random_seed|seed_value)\b", re.IGNORECASE)
SEED_NAMES = re.compile(r"^(seed|random_state|random_seed|seed_value)$", re.IGNORECASE)



def generators_seeded_by(name: str) -> frozenset[str]:
    """The global generators a call of the qualified function `name` seeds."""
    if name in SEEDERS:
        return SEEDERS[name]
    root, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
    if root in LIGHTNING_ROOTS and last == "seed_everything":
        return frozenset({NUMPY, STDLIB, TORCH})
    if root == "transformers" and last in ("set_seed", "enable_full_determinism"):
        return EVERY_GENERATOR
    if root in ("transformers", "trl") and last.endswith("Trainer"):
        return EVERY_GENERATOR  # Trainer.__init__ calls set_seed(args.seed)
    if root == "accelerate" and last == "set_seed":
        return frozenset({NUMPY, STDLIB, TORCH})
    if root in ("keras", "tensorflow") and last == "set_random_seed":  # keras.utils.set_random_seed
        return frozenset({NUMPY, STDLIB, TENSORFLOW})
    if root not in KNOWN_ROOTS and looks_like_seeding(last):
        return EVERY_GENERATOR  # a project or third-party helper such as utils.set_seed
    return frozenset()


def looks_like_seeding(function_name: str) -> bool:
    lowered = function_name.lower()
    return "seed" in lowered and not lowered.startswith("get")


def reseeds_from_entropy(name: str, call: ast.Call) -> bool:
    """`np.random.seed()` and `random.seed(None)` seed from the OS: not reproducible."""
    if name not in ("numpy.random.seed", "random.seed") or has_star_kwargs(call):
        return False
    value = argument(call, 0, "seed" if name == "numpy.random.seed" else "a")
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


def in_function(node: ast.AST) -> bool:
    return enclosing_function(node) is not None


def enclosing_function(node: ast.AST) -> ast.AST | None:
    for up in ancestors(node):
        if isinstance(up, FUNCTION_TYPES):
            return up
    return None


def position(chunk, node: ast.AST) -> tuple[int, int]:
    """Program order of a node across chunks: (document line, column)."""
    return chunk.absolute_line(node.lineno), node.col_offset


class Seeding:
    """Which generators a file seeds anywhere, and where module-level code first seeds each.

    A use at module level is seeded when a module-level seeding call precedes it. A use
    inside a function is taken as seeded when the file seeds that generator anywhere: the
    function most likely runs after `main()` or the `__main__` block has seeded.
    """

    def __init__(self, model):
        self.model = model
        self.anywhere: set[str] = set()
        self.first_at_module: dict[str, tuple[int, int]] = {}
        self.events = direct_seeding_calls(model)
        self._record(self.events)
        self._with_helpers = False

    def _record(self, events: list) -> None:
        for chunk, call, generators in events:
            self.anywhere |= generators
            if not in_function(call):
                where = position(chunk, call)
                for generator in generators:
                    self.first_at_module[generator] = min(where, self.first_at_module.get(generator, NEVER))

    def _add_helpers(self) -> bool:
        """Add the helper calls (one pass over every call), only when a direct seed is not enough."""
        if self._with_helpers:
            return False
        self._with_helpers = True
        self._record(helper_calls(self.model, self.events))
        return True

    def seeded(self, generator: str, chunk, node: ast.AST) -> bool:
        """Is `generator` seeded when `node` runs?"""
        while True:
            if in_function(node):
                if generator in self.anywhere:
                    return True
            elif self.first_at_module.get(generator, NEVER) < position(chunk, node):
                return True
            if not self._add_helpers():
                return False

    def seeded_somewhere(self, generator: str) -> bool:
        return generator in self.anywhere or (self._add_helpers() and generator in self.anywhere)


def direct_seeding_calls(model) -> list:
    """(chunk, call, generators) of calls of library seeders and of imported seeding helpers."""
    external = model.external
    if not external.seeders:
        return [(chunk, call, generators_seeded_by(name))
                for chunk, call, name in model.calls_matching(lambda n: bool(generators_seeded_by(n)))
                if not reseeds_from_entropy(name, call)]
    # Helpers of other workspace files, resolved by crossfile.py: what their bodies really seed
    # replaces the guess from their name (`utils.set_seed` that seeds nothing, `utils.prepare` that does).
    resolved = {qualname for name, _ in external.seeders if (qualname := resolve_written(model, name))}
    events = []
    for chunk, call, name in model.calls_matching(lambda n: n in resolved or bool(generators_seeded_by(n))):
        known = external.seeds(call.func) if name in resolved else None
        generators = known if known is not None else generators_seeded_by(name)
        if generators and not reseeds_from_entropy(name, call):
            events.append((chunk, call, generators))
    return events


def resolve_written(model, written: str) -> str | None:
    """The qualified name of a name as a document writes it (`set_seed`, `utils.set_seed`)."""
    try:
        return model.resolve(ast.parse(written, mode="eval").body)
    except SyntaxError:
        return None


def helper_calls(model, events: list) -> list:
    """Seeding events from calls of local seeding helpers and of unknown `*seed*` functions."""
    defined = {fn.name for _, fn in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef)}
    imports = model.imports
    local_calls, found = [], []
    for chunk, call in model.nodes(ast.Call):
        func = call.func
        if type(func) is ast.Name:
            if func.id in imports:
                continue
            if func.id in defined:
                local_calls.append((chunk, call, func.id))
            elif (known := model.external.seeds(func)) is not None:  # `from .utils import set_seed`, resolved
                if known:
                    found.append((chunk, call, known))
            elif looks_like_seeding(func.id):
                found.append((chunk, call, EVERY_GENERATOR))  # e.g. `from .utils import set_seed`
        elif type(func) is ast.Attribute and func.attr in defined and model.resolve(func) is None:
            local_calls.append((chunk, call, func.attr))  # `self.seed_all()`
    if not local_calls:
        return found
    helpers = seeding_helpers(events + found, local_calls)
    return found + [(chunk, call, helpers[callee]) for chunk, call, callee in local_calls if callee in helpers]


def seeding_helpers(events: list, local_calls: list) -> dict[str, frozenset[str]]:
    """Local function name -> generators its body seeds, directly or through other helpers."""
    helpers: dict[str, frozenset[str]] = {}

    def credit(call: ast.Call, generators: frozenset[str]) -> bool:
        function = enclosing_function(call)
        name = getattr(function, "name", None)  # lambdas have none
        if name is None or generators <= helpers.get(name, frozenset()):
            return False
        helpers[name] = helpers.get(name, frozenset()) | generators
        return True

    for _, call, generators in events:
        credit(call, generators)
    changed = True
    while changed:  # a helper calling a helper: propagate until nothing changes
        changed = False
        for _, call, callee in local_calls:
            if callee in helpers:
                changed |= credit(call, helpers[callee])
    return helpers


def top_level_alias(model, *qualnames: str) -> str | None:
    """A module-level import alias bound to one of `qualnames` (and not rebound by a later import)."""
    for fact in model.import_facts:
        if fact.qualname in qualnames and isinstance(parent(fact.node), ast.Module) \
                and model.imports.get(fact.alias) == fact.qualname:
            return fact.alias
    return None


class SeedConstant:
    """Where the module's SEED-like constant is defined, as the fixes will find it (computed once)."""

    def __init__(self, model):
        self.model = model

    @cached_property
    def line(self) -> int:
        """Last line of the first module-level `SEED = 42` (0 when there is none)."""
        text = self.model.source.text
        # Candidate lines by text first (a top-level assignment starts its line), then the AST decides.
        starts, line, offset = [], 1, 0
        if SEED_NAME_AT_LINE_START.match("\n" + text[:20]):
            starts.append(1)
        for match in SEED_NAME_AT_LINE_START.finditer(text):
            line += text.count("\n", offset, match.end())
            offset = match.end()
            starts.append(line)
        lines = []
        for start in starts:
            stmt, chunk = self.statement_starting_at(start)
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and could_be_seed(stmt.value) and any(
                isinstance(t, ast.Name) and SEED_NAMES.match(t.id)
                for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
            ):
                lines.append(chunk.absolute_line(stmt.end_lineno))
        return min(lines, default=0)

    def statement_starting_at(self, line: int) -> tuple[ast.stmt | None, object]:
        """The top-level statement that starts on document `line`, and its chunk."""
        parsed = self.model.parsed
        index = bisect_right(self.chunk_starts, line) - 1
        if index < 0:
            return None, None
        chunk = parsed[index][0]
        return next((stmt for stmt in chunk.tree.body if chunk.absolute_line(stmt.lineno) == line), None), chunk

    @cached_property
    def chunk_starts(self) -> list[int]:
        return [chunk.first_line for chunk, _ in self.model.parsed]

    def usable_at(self, chunk, node: ast.AST, binding: str | None = None) -> bool:
        """Can code inserted after the imports (and after SEED, and after the import of `binding`)
        run before `node`? Always, inside a function: its body runs later."""
        if in_function(node):
            return True
        ready = max(self.line, binding_line(self.model, binding) if binding else 0)
        return ready < chunk.absolute_line(node.lineno)


@per_version
def seeding_of(model) -> Seeding:
    """The file's seeding, shared by the rules (its helper pass, when one needs it, serves all)."""
    return Seeding(model)


@per_version
def seed_constant_of(model) -> SeedConstant:
    return SeedConstant(model)


def binding_line(model, alias: str) -> int:
    """Last line of the first module-level import that binds `alias`."""
    for fact in model.import_facts:
        if fact.alias == alias and isinstance(parent(fact.node), ast.Module):
            return model.chunk_of(fact.node).absolute_line(fact.node.end_lineno)
    return 0


def could_be_seed(value: ast.expr | None) -> bool:
    """An integer seed, not `seed = np.random.RandomState(3)` or `SEED = np.random.randint(9)`:
    int literals, `int(...)` and plain lookups such as `args.seed` or `config["seed"]`."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, int) and not isinstance(value.value, bool)
    if isinstance(value, ast.Call):
        return isinstance(value.func, ast.Name) and value.func.id == "int"
    return isinstance(value, (ast.Name, ast.Attribute, ast.Subscript, ast.UnaryOp, ast.BinOp))
