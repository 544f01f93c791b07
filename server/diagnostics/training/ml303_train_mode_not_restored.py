"""ML303 train-mode-not-restored."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...facts.torch_models import (
    TorchModels,
    chain_root,
    loops_around,
    mode_free_model,
    sets_eval_mode,
    sets_train_mode,
    trains_its_arguments,
    walk_in_scope,
)
from ...facts.training_calls import ancestors_in_scope
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
    models = TorchModels(model)
    helpers = EvalHelpers(model, models)
    switches = [(chunk, call, receiver_name(call)) for chunk, call in evals] + helpers.calls_leaving_eval()
    trained = trained_receivers(model, models)
    reported: set[int] = set()
    for chunk, node, name in sorted(switches, key=lambda s: (s[0].absolute_line(s[1].lineno), s[1].col_offset)):
        if name is None or name not in trained or leaves_the_loop_after(node) or in_lightning_module(model, node):
            continue
        if "." not in name and mode_free_model(models, name, node, chunk):
            continue  # no dropout or batch norm: the mode changes nothing
        loop = next((loop for loop in loops_around(node) if models.trains_in(loop)), None)
        if loop is None or id(loop) in reported or restores_train_mode(loop, helpers):
            continue
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
        for node in ast.walk(call):
            if isinstance(node, ast.Attribute) and node.attr in ("parameters", "named_parameters"):
                names.add(dotted_name(node.value))
    for _, call in model.method_calls("train", "zero_grad"):
        if call.func.attr == "zero_grad" or sets_train_mode(call):
            names.add(receiver_name(call))
    names.discard(None)
    return names


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

    def __init__(self, model: ModuleModel, models: TorchModels):
        self.model = model
        self.models = models
        self.functions: dict[str, ast.AST] = {}
        for _, node in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
            if not isinstance(enclosing_scope(node), ast.ClassDef):
                self.functions.setdefault(node.name, node)
        self._train: dict[int, bool] = {}

    def callee(self, call: ast.Call) -> ast.AST | None:
        """The local function `f(...)`, or the method `self.f(...)` of the caller's class."""
        func = call.func
        if isinstance(func, ast.Name) and self.model.resolve(func) is None:
            return self.functions.get(func.id)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            cls = enclosing_scope(enclosing_scope(call) or call)
            if isinstance(cls, ast.ClassDef):
                return next((n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                             and n.name == func.attr), None)
        return None

    def sets_train_mode(self, function: ast.AST) -> bool:
        known = self._train.get(id(function))
        if known is None:
            known = self._train[id(function)] = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and sets_train_mode(n)
                for n in ast.walk(function))
        return known

    def calls_leaving_eval(self) -> list[tuple[object, ast.Call, str | None]]:
        """(chunk, call, model name at the call) for calls, inside training loops, of helpers that leave
        a model in eval mode."""
        found = []
        for loop_chunk, loop in self.training_loops():
            for node in walk_in_scope(loop.body):
                if not isinstance(node, ast.Call):
                    continue
                if (function := self.callee(node)) is not None:
                    if not self.sets_train_mode(function):
                        found.extend((loop_chunk, node, self.name_at_call(node, function, switched))
                                     for switched in self.switched_receivers(function))
                elif (switch := self.imported_switch(node)) is not None and not switch.trains:
                    found.extend((loop_chunk, node, given_name(node, position, name))
                                 for position, name in switch.evaluated)
        return found

    def imported_switch(self, call: ast.Call):
        """What a function of another workspace file does to modes (facts/crossfile.py), if known."""
        external = self.model.external
        return external.mode_switch(call.func) if external.mode_switches else None

    def training_loops(self) -> list[tuple[object, ast.AST]]:
        loops = {}
        for chunk, loop in self.model.nodes(ast.For, ast.AsyncFor, ast.While):
            if not any(isinstance(a, (ast.For, ast.AsyncFor, ast.While)) for a in ancestors_in_scope(loop)) \
                    and self.models.trains_in(loop):
                loops[id(loop)] = (chunk, loop)  # the outermost: walk_in_scope covers the nested ones
        return list(loops.values())

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
