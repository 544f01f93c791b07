"""ML303 train-mode-not-restored."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...facts.torch_models import (
    TorchModels,
    chain_root,
    loops_around,
    sets_eval_mode,
    sets_train_mode,
    torch_models,
    trains_its_arguments,
    walk_in_scope,
)
from ...model.bindings import name_bindings
from ...model.call_sites import function_calls
from ...model.calls import argument
from ...model.module_model import ModuleModel
from ...parse.syntax import dotted_name, enclosing_scope, parent
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA
from .insertions import insertion_before, insertion_edit

TRAIN_MODE_NOT_RESTORED = Rule(
    code="ML303",
    name="train-mode-not-restored",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area=AREA,
    summary="A training loop puts the model in eval mode (validation inside the epoch loop) and "
    "never calls `model.train()` again in the loop.",
    why="`model.eval()` switches dropout off and makes batch norm use its running statistics; it "
    "stays that way until `model.train()`. Every epoch after the first validation then trains "
    "without dropout and with frozen batch-norm statistics: the model overfits or trains worse, "
    "and nothing fails to warn you.",
    bad="for epoch in range(epochs):\n    for x, y in train_loader:\n        ...\n"
    "    model.eval()\n    validate(model, val_loader)",
    good="for epoch in range(epochs):\n    model.train()\n    for x, y in train_loader:\n        ...\n"
    "    model.eval()\n    validate(model, val_loader)",
    fix_title="Insert model.train() at the top of the training loop",
)

EXITS = (ast.Break, ast.Return, ast.Raise)


@TRAIN_MODE_NOT_RESTORED.checker
def check_train_mode_not_restored(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if not model.imports_any("torch"):
        return
    evals = [(chunk, call) for chunk, call in model.method_calls("eval", "train") if sets_eval_mode(call)]
    if not evals and not model.external.mode_switches:
        return  # nothing here or in the helpers it imports switches to eval mode
    helpers = EvalHelpers(model)
    switches = [(chunk, call, receiver_name(call)) for chunk, call in evals] + helpers.calls_leaving_eval(evals)
    # Cheap filters first: most evals sit in evaluation functions, outside any loop.
    switches = [(chunk, node, name) for chunk, node, name in switches if name is not None and loops_around(node)
                and not leaves_the_loop_after(node) and not in_lightning_module(model, node)]
    if not switches:
        return
    models = torch_models(model)
    trained = trained_receivers(model, models)
    reported: set[int] = set()
    for chunk, node, name in sorted(switches, key=lambda s: (s[0].absolute_line(s[1].lineno), s[1].col_offset)):
        if name not in trained:
            continue
        loop = next((loop for loop in loops_around(node) if models.trains_in(loop)), None)
        if loop is None or id(loop) in reported or restores_train_mode(loop, helpers):
            continue
        if "." not in name and mode_free(models, name, node, chunk):
            continue  # no dropout or batch norm: the mode changes nothing
        reported.add(id(loop))
        how = f"`{name}.eval()`" if sets_eval_mode(node) else f"`{model.text_of(chunk, node.func)}(...)`, " \
            f"which calls `.eval()`,"
        message = (f"{how} switches `{name}` to eval mode inside the training loop, and nothing in the loop calls "
                   f"`{name}.train()` again: the next epochs train without dropout and with frozen batch norm")
        insertion = insertion_before(model, chunk, loop.body[0], [f"{name}.train()"])
        yield rule.finding(model, node, message, chunk=chunk, switched=name, insertion=insertion,
                           anchor=model.line_text(insertion[0]).strip())


def receiver_name(call: ast.Call) -> str | None:
    return dotted_name(chain_root(call.func.value))


def trained_receivers(model: ModuleModel, models: TorchModels) -> set[str]:
    """Names (plain or dotted) of the models the file trains: parameters given to an optimizer,
    `.train()` / `.zero_grad()` called, given to a trainer as `model=`. A frozen teacher put in eval
    mode inside the loop is not one of them."""
    names = set(models.trained)
    for _, call, _ in model.calls_matching(trains_its_arguments):
        names.update(optimised_models(call))
    for _, call in model.method_calls("train", "zero_grad"):
        if call.func.attr == "zero_grad" or sets_train_mode(call):
            names.add(receiver_name(call))
    names.discard(None)
    return names


def mode_free(models: TorchModels, name: str, node: ast.AST, chunk) -> bool:
    """The model `name` refers to at `node` is built only of layers that ignore the mode."""
    binding = models.bindings.lookup(name, node, chunk)
    return binding is not None and binding.kind == "value" and models.mode_free(binding.value)


def optimised_models(call: ast.Call) -> frozenset:
    """`x.y` of every `x.y.parameters()` an optimizer or trainer is given; kept on the call node,
    which an unchanged chunk keeps from keystroke to keystroke."""
    found = getattr(call, "mlreview_optimised", None)
    if found is None:
        found = call.mlreview_optimised = frozenset(
            dotted_name(node.value) for node in ast.walk(call)
            if isinstance(node, ast.Attribute) and node.attr in ("parameters", "named_parameters"))
    return found


def leaves_the_loop_after(node: ast.AST) -> bool:
    """`model.eval(); ...; break` (or return): the loop does not train again after it."""
    statement = node
    while not isinstance(statement, ast.stmt):
        statement = parent(statement)
    holder = parent(statement)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(holder, field, None)
        if isinstance(block, list) and statement in block:
            return any(isinstance(s, EXITS) for s in block[block.index(statement) + 1:])
    return False


def in_lightning_module(model: ModuleModel, node: ast.AST) -> bool:
    """Lightning switches modes itself around its validation loop."""
    scope = enclosing_scope(node)
    while scope is not None and not isinstance(scope, ast.ClassDef):
        scope = enclosing_scope(scope)
    return scope is not None and any((model.resolve(base) or "").endswith("LightningModule") for base in scope.bases)


def restores_train_mode(loop: ast.AST, helpers: "EvalHelpers") -> bool:
    """Any `.train()` in the loop, or a call of a local function or method that calls one."""
    for node in walk_in_scope(loop.body):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and sets_train_mode(node):
                return True
            function = helpers.callee(node)
            if function is not None and helpers.sets_train_mode(function):
                return True
            switch = helpers.imported_switch(node)
            if switch is not None and switch.trains:
                return True
    return False


class EvalHelpers:
    """Local functions and methods that put a model in eval mode and leave it there (`evaluate(model,
    loader)`), and the model each call of one switches."""

    def __init__(self, model: ModuleModel):
        self.model = model

    def calls(self, chunk, call: ast.Call, function: ast.AST) -> bool:
        """Does `call` (named like `function`) call it? The name's binding where it is called decides."""
        if isinstance(call.func, ast.Name):
            binding = name_bindings(self.model).lookup(call.func.id, call, chunk)
            return binding is not None and binding.value is function
        return self.callee(call) is function

    def callee(self, call: ast.Call) -> ast.AST | None:
        """The local function `f(...)`, or the method `self.f(...)` of the caller's class."""
        func = call.func
        if isinstance(func, ast.Name) and self.model.resolve(func) is None:
            binding = name_bindings(self.model).lookup(func.id, call)
            return binding.value if binding is not None and binding.kind == "definition" else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            cls = enclosing_scope(enclosing_scope(call) or call)
            if isinstance(cls, ast.ClassDef):
                return next((n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                             and n.name == func.attr), None)
        return None

    @staticmethod
    def sets_train_mode(function: ast.AST) -> bool:
        """Kept on the function node: an unchanged chunk keeps its nodes from keystroke to keystroke."""
        known = getattr(function, "mlreview_sets_train_mode", None)
        if known is None:
            known = function.mlreview_sets_train_mode = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and sets_train_mode(n)
                for n in ast.walk(function))
        return known

    def calls_leaving_eval(self, evals: list) -> list[tuple[object, ast.Call, str | None]]:
        """(chunk, call, model name at the call) for calls of helpers that leave a model in eval mode:
        local functions and methods holding one of `evals` and no `.train()`, and imported helpers
        known to do so. Found from the helpers' names, without walking the loops."""
        helpers: dict[str, ast.AST] = {}
        for _, call in evals:
            function = enclosing_scope(call)
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and not self.sets_train_mode(function):
                helpers[function.name] = function
        found = []
        for name, function in helpers.items():
            for chunk, call in [*function_calls(self.model, name), *self.model.method_calls(name)]:
                if self.calls(chunk, call, function):
                    found.extend((chunk, call, self.name_at_call(call, function, switched))
                                 for switched in self.switched_receivers(function))
        for written, switch in self.model.external.mode_switches:
            if switch.trains:
                continue
            head, _, last = written.rpartition(".")
            calls = self.model.method_calls(last) if head else function_calls(self.model, written)
            found.extend((chunk, call, given_name(call, position, parameter))
                         for chunk, call in calls if dotted_name(call.func) == written
                         for position, parameter in switch.evaluated)
        return found

    def imported_switch(self, call: ast.Call):
        """What a function of another workspace file does to modes (facts/crossfile.py), if known."""
        external = self.model.external
        return external.mode_switch(call.func) if external.mode_switches else None

    def switched_receivers(self, function: ast.AST) -> list[str]:
        return [name for n in ast.walk(function) if isinstance(n, ast.Call) and sets_eval_mode(n)
                and (name := receiver_name(n)) is not None]

    def name_at_call(self, call: ast.Call, function: ast.AST, switched: str) -> str | None:
        """The caller's name for the model the helper switches: the argument given for a parameter,
        `self.x` as is for a method called on self, a global name as is."""
        head, _, rest = switched.partition(".")
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if isinstance(call.func, ast.Attribute):
            params = params[1:]  # self
            if head == "self":
                return switched
        if head in params:
            given = argument(call, params.index(head), head)
            written = dotted_name(given) if given is not None else None
            return written and (f"{written}.{rest}" if rest else written)
        if head in {a.arg for a in function.args.kwonlyargs}:
            given = next((k.value for k in call.keywords if k.arg == head), None)
            return dotted_name(given) if given is not None and not rest else None
        return None if head == "self" else switched


def given_name(call: ast.Call, position: int, parameter: str) -> str | None:
    """The caller's name for a parameter: its positional argument (position -1: keyword only) or keyword."""
    given = argument(call, position, parameter) if position >= 0 else \
        next((k.value for k in call.keywords if k.arg == parameter), None)
    return dotted_name(given) if given is not None else None


@TRAIN_MODE_NOT_RESTORED.fixer
def fix_train_mode_not_restored(text: str, finding: Finding) -> Fix | None:
    from ...parse.chunks import split_lines

    edit = insertion_edit(split_lines(text), finding.data["insertion"], finding.data["anchor"])
    if edit is None:
        return None
    return Fix(f"Insert `{finding.data['switched']}.train()` at the top of the training loop", (edit,))
