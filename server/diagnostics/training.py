"""ML3: training and evaluation. Training loops that silently train wrong, models evaluated in
training mode, and models that are fitted but never measured."""

from __future__ import annotations

import ast
import re
from functools import cached_property

from ..core.bindings import Binding, name_bindings, position
from ..core.facts import SCOPE_TYPES, dotted_name, enclosing_scope, enclosing_statement, parent
from ..core.findings import Edit, Fix, Severity
from ..core.positions import Span, byte_to_char_col
from ..core.rules import Rule
from ..core.training_calls import ancestors_in_scope, first_training_call

AREA = "Training & Evaluation"
LOOPS = (ast.For, ast.AsyncFor, ast.While)
TORCH_FAMILY = ("torch", "accelerate", "lightning", "pytorch_lightning", "transformers")

# ----- shared: torch loops ---------------------------------------------------------------------


def is_backward(call: ast.Call, model) -> bool:
    """`loss.backward()`, `scaler.scale(loss).backward()`, `accelerator.backward(loss)`."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr == "backward" and model.resolve(func) is None


def loops_around(node: ast.AST) -> list[ast.AST]:
    """The loops of its own function enclosing `node`, innermost first."""
    return [a for a in ancestors_in_scope(node) if isinstance(a, LOOPS)]


def loops_with_backward(model) -> set[int]:
    """ids of the loops that hold a `.backward()` call (directly or in a nested block)."""
    found: set[int] = set()
    for _, call in model.nodes(ast.Call):
        if is_backward(call, model):
            found.update(id(loop) for loop in loops_around(call))
    return found


def walk_in_scope(nodes):
    """Every node under `nodes`, not descending into nested functions, lambdas or classes."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, SCOPE_TYPES))


def line_indent(model, line: int) -> str:
    text = model.line_text(line)
    return text[: len(text) - len(text.lstrip(" \t"))]


def line_ending(model, line: int) -> str:
    text = model.line_text(line)
    stripped = text.rstrip("\r\n")
    return text[len(stripped):] or "\n"


def insertion_before(model, chunk, stmt: ast.stmt, statements: list[str]) -> list:
    """[line, col, content] inserting `statements` just before `stmt`, in its block."""
    line = chunk.absolute_line(stmt.lineno)
    head = model.line_text(line)[: stmt.col_offset]
    if head.strip():  # `for x in y: stmt` on one line
        return [line, len(head), "".join(f"{code}; " for code in statements)]
    indent, newline = line_indent(model, line), line_ending(model, line)
    return [line, 0, "".join(indent + code + newline for code in statements)]


def insertion_after(model, chunk, stmt: ast.stmt, statements: list[str]) -> list:
    """[line, col, content] inserting `statements` just after `stmt`, in its block."""
    first = chunk.absolute_line(stmt.lineno)
    last = chunk.absolute_line(stmt.end_lineno)
    last_text = model.line_text(last).rstrip("\r\n")
    end_col = byte_to_char_col(last_text, stmt.end_col_offset)
    rest = last_text[end_col:].strip()
    starts_line = not model.line_text(first)[: stmt.col_offset].strip()
    if starts_line and (not rest or rest.startswith("#")):
        indent, newline = line_indent(model, first), line_ending(model, last)
        return [last, len(last_text), "".join(newline + indent + code for code in statements)]
    return [last, end_col, "".join(f"; {code}" for code in statements)]  # `if ready: opt.step()`


def insertion_edit(text_lines: list[str], insertion: list, expected: str) -> Edit | None:
    """The Edit of a stored insertion, if the anchor line still reads `expected`."""
    line, col, content = insertion
    if not (0 < line <= len(text_lines)) or text_lines[line - 1].strip() != expected:
        return None
    return Edit(Span(line, col, line, col), content)


# ----- ML301 missing-zero-grad -------------------------------------------------------------------

MISSING_ZERO_GRAD = Rule(
    code="ML301",
    name="missing-zero-grad",
    severity=Severity.ERROR,
    principle="Reproducibility",
    area=AREA,
    summary="A training loop calls `loss.backward()` and `optimizer.step()` but never "
    "`optimizer.zero_grad()`.",
    why="PyTorch adds each `backward()` into the `.grad` buffers: without `zero_grad()` every step "
    "uses the sum of all gradients since the start, so the updates grow and training diverges or "
    "quietly learns the wrong thing, with no error to warn you.",
    bad="for x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()",
    good="for x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
    "    loss.backward()\n    optimizer.step()",
    fix_title="Insert optimizer.zero_grad()",
)

OPTIMIZER_WORD = re.compile(r"(^|_)(opt|optim|optimi[sz]er)s?(_|$)|optimi[sz]er", re.IGNORECASE)
OPTIMIZER_LIBRARIES = ("torch.optim.", "transformers.optimization.", "transformers.AdamW", "transformers.Adafactor",
                       "bitsandbytes.optim.", "timm.optim.", "apex.optimizers.", "torch_optimizer.")
NOT_OPTIMIZERS = ("torch.optim.lr_scheduler.", "torch.optim.swa_utils.")
GRAD_SCALERS = ("torch.cuda.amp.GradScaler", "torch.amp.GradScaler", "torch.cpu.amp.GradScaler",
                "torch.cuda.amp.grad_scaler.GradScaler")


def is_optimizer_constructor(qualname: str) -> bool:
    return qualname.startswith(OPTIMIZER_LIBRARIES) and not qualname.startswith(NOT_OPTIMIZERS) \
        and "schedule" not in qualname.lower()


class OptimizerNames:
    """Decides which receivers of `.step()` / `.zero_grad()` are optimizers."""

    def __init__(self, model):
        self.model = model
        self.bindings = name_bindings(model)

    def constructor_of(self, expr: ast.AST) -> str | None:
        """Qualified name of the call that built a plain name (None when unknown)."""
        if not isinstance(expr, ast.Name):
            return None
        binding = self.bindings.lookup(expr.id, expr)
        if binding is None or binding.kind != "value" or not isinstance(binding.value, ast.Call):
            return None
        return self.model.resolve(binding.value.func) or ""

    def is_optimizer(self, expr: ast.AST) -> bool:
        built_by = self.constructor_of(expr)
        if built_by:  # resolved: trust the library, not the name
            return is_optimizer_constructor(built_by)
        name = dotted_name(expr)
        return name is not None and OPTIMIZER_WORD.search(name.rsplit(".", 1)[-1]) is not None \
            and "sched" not in name.lower()

    def is_grad_scaler(self, expr: ast.AST) -> bool:
        built_by = self.constructor_of(expr)
        if built_by:
            return built_by in GRAD_SCALERS
        name = dotted_name(expr)
        return name is not None and "scaler" in name.rsplit(".", 1)[-1].lower()

    def stepped_optimizer(self, call: ast.Call) -> ast.AST | None:
        """The optimizer `opt.step()` or `scaler.step(opt)` updates, if it is one."""
        receiver = call.func.value
        if self.is_grad_scaler(receiver):
            target = call.args[0] if call.args else None
            return target if target is not None and dotted_name(target) else None
        return receiver if dotted_name(receiver) and self.is_optimizer(receiver) else None


def zeroes_gradients(node: ast.AST) -> tuple[bool, str | None]:
    """(True, receiver) for `x.zero_grad(...)`; (True, None) for `p.grad = None` / `p.grad.zero_()`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "zero_grad":
            return True, dotted_name(node.func.value)
        if node.func.attr in ("zero_", "detach_") and isinstance(node.func.value, ast.Attribute) \
                and node.func.value.attr == "grad":
            return True, None
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "grad" for t in node.targets):
        return True, None
    return False, None


@MISSING_ZERO_GRAD.checker
def check_missing_zero_grad(model, rule):
    if not model.imports_any(*TORCH_FAMILY):
        return
    steps = [(chunk, call) for chunk, call in model.nodes(ast.Call)
             if isinstance(call.func, ast.Attribute) and call.func.attr == "step"]
    if not steps:
        return
    with_backward = loops_with_backward(model)
    if not with_backward:
        return
    optimizers = OptimizerNames(model)
    for chunk, step in steps:
        optimizer = optimizers.stepped_optimizer(step)
        if optimizer is None:
            continue
        loops = loops_around(step)
        training = next((loop for loop in loops if id(loop) in with_backward), None)
        if training is None or zeroed_in(loops[-1], dotted_name(optimizer), optimizers):
            continue
        name = dotted_name(optimizer)
        yield rule.finding(
            model, step, f"`{name}.step()` runs after `backward()` in a loop that never calls "
            f"`{name}.zero_grad()`: gradients accumulate across iterations",
            chunk=chunk, optimizer=name, **zero_grad_insertion(model, chunk, step, training, name),
        )


def zeroed_in(loop: ast.AST, optimizer: str, optimizers: OptimizerNames) -> bool:
    """Does the loop reset the gradients this optimizer steps with (its own or a model's zero_grad)?"""
    for node in walk_in_scope(loop.body + loop.orelse):
        zeroes, receiver = zeroes_gradients(node)
        if not zeroes:
            continue
        if receiver is None or receiver == optimizer:
            return True
        receiver_node = node.func.value
        if not optimizers.is_optimizer(receiver_node):  # model.zero_grad() clears every parameter
            return True
    return False


def zero_grad_insertion(model, chunk, step: ast.Call, training: ast.AST, name: str) -> dict:
    """Where `name.zero_grad()` goes: first in the training loop's body; but right after the
    step when the step is conditional (gradient accumulation) or in a nested loop, where a
    reset at the top of the body would throw the accumulated gradients away."""
    code = f"{name}.zero_grad()"
    step_statement = enclosing_statement(step)
    conditional = any(isinstance(a, (ast.If, ast.Match, *LOOPS)) for a in ancestors_until(step_statement, training))
    if conditional:
        insertion = insertion_after(model, chunk, step_statement, [code])
    else:
        insertion = insertion_before(model, chunk, training.body[0], [code])
    return {"insertion": insertion, "anchor_text": model.line_text(insertion[0]).strip()}


def ancestors_until(node: ast.AST, stop: ast.AST) -> list[ast.AST]:
    found = []
    for ancestor in ancestors_in_scope(node):
        if ancestor is stop:
            break
        found.append(ancestor)
    return found


@MISSING_ZERO_GRAD.fixer
def fix_missing_zero_grad(text, finding):
    from ..core.chunks import split_lines

    edit = insertion_edit(split_lines(text), finding.data["insertion"], finding.data["anchor_text"])
    if edit is None:
        return None
    return Fix(f"Insert `{finding.data['optimizer']}.zero_grad()`", (edit,))


# ----- ML302 missing-eval-mode ---------------------------------------------------------------

MISSING_EVAL_MODE = Rule(
    code="ML302",
    name="missing-eval-mode",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area=AREA,
    summary="A torch model is called under `torch.no_grad()`/`torch.inference_mode()` without "
    "`model.eval()` first.",
    why="`no_grad()` only stops gradient tracking; the model stays in training mode, so dropout "
    "still drops units and batch norm normalises with (and updates) the batch statistics. "
    "Validation scores and predictions come out noisy and different from the deployed model's.",
    bad="with torch.no_grad():\n    predictions = model(X_valid)",
    good="model.eval()\nwith torch.no_grad():\n    predictions = model(X_valid)",
    fix_title="Insert model.eval() before the block",
)

NO_GRAD = frozenset({
    "torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad", "torch.autograd.inference_mode",
    "torch.autograd.grad_mode.no_grad", "torch.autograd.grad_mode.inference_mode",
})
# Methods that return the module itself: `Net().to(device).eval()`.
MODULE_CHAIN = frozenset({"to", "cuda", "cpu", "double", "float", "half", "bfloat16", "eval", "train",
                          "requires_grad_", "share_memory"})
TORCH_MODULE_BASES = ("torch.nn.", "lightning.", "pytorch_lightning.", "transformers.")
HF_MODEL_CLASS = re.compile(r"^(TF|Flax)?(AutoModel\w*|\w+Model|\w+For[A-Z]\w*|\w+LMHeadModel)$")


def no_grad_item(model, node: ast.With | ast.AsyncWith) -> ast.withitem | None:
    for item in node.items:
        expr = item.context_expr
        target = expr.func if isinstance(expr, ast.Call) else expr
        if model.resolve(target) in NO_GRAD:
            return item
    return None


def chain_root(expr: ast.AST) -> ast.AST:
    """`model` for `model.to(device).eval()`: strip module-returning method calls."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in MODULE_CHAIN:
        expr = expr.func.value
    return expr


def sets_eval_mode(call: ast.Call) -> bool:
    """`m.eval()`, `m.train(False)`, `m.train(mode=False)`."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "eval" and not call.args and not call.keywords:
        return True
    flag = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "mode"), None)
    return func.attr == "train" and isinstance(flag, ast.Constant) and flag.value is False


def sets_train_mode(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "train"):
        return False
    flag = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "mode"), None)
    return flag is None or (isinstance(flag, ast.Constant) and flag.value is True)


def assigned_name(expr: ast.AST) -> str | None:
    """`m` when `expr` is (the end of a chain that is) the value of `m = ...`."""
    node = expr
    while isinstance(parent(node), (ast.Attribute, ast.Call)):
        node = parent(node)
    statement = parent(node)
    if isinstance(statement, ast.Assign) and statement.value is node and len(statement.targets) == 1 \
            and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    return None


class TorchModels:
    """What the file knows about its torch models: how they are built, trained and put in eval mode."""

    def __init__(self, model):
        self.model = model
        self.bindings = name_bindings(model)
        self.classes = {node.name: node for _, node in model.nodes(ast.ClassDef) if enclosing_scope(node) is None}
        self.functions = {node.name: node for _, node in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
                          if enclosing_scope(node) is None}
        self.backward_loops = loops_with_backward(model)
        self.evals: dict[str, list[tuple[ast.AST | None, tuple[int, int]]]] = {}  # name -> [(scope, where)]
        self.trained: set[str] = set()  # parameters optimised, .train() / .zero_grad() called, given to a Trainer
        self.called_in_training: set[str] = set()  # called inside a loop that back-propagates
        self.module_calls: dict[str, tuple[int, int]] = {}  # top-level function -> first call at module level
        self._index_calls()

    def _index_calls(self) -> None:
        trainers = []
        for chunk, call in self.model.nodes(ast.Call):
            func = call.func
            qualname = self.model.resolve(func)
            if qualname is not None:
                if is_optimizer_constructor(qualname) or qualname.endswith("Trainer"):
                    trainers.append(call)
            elif isinstance(func, ast.Name):
                if func.id in self.functions and enclosing_scope(call) is None:
                    self.module_calls.setdefault(func.id, position(chunk, call))
                if any(id(loop) in self.backward_loops for loop in loops_around(call)):
                    self.called_in_training.add(func.id)
            elif isinstance(func, ast.Attribute):
                self._index_method_call(chunk, call)
        for call in trainers:  # SGD(model.parameters()), Trainer(model=model)
            for node in ast.walk(call):
                if isinstance(node, ast.Attribute) and node.attr in ("parameters", "named_parameters") \
                        and isinstance(node.value, ast.Name):
                    self.trained.add(node.value.id)
            self.trained.update(k.value.id for k in call.keywords if k.arg == "model" and isinstance(k.value, ast.Name))

    def _index_method_call(self, chunk, call: ast.Call) -> None:
        root = chain_root(call.func.value)
        name = root.id if isinstance(root, ast.Name) else None
        if sets_eval_mode(call):
            where = (enclosing_scope(call), position(chunk, call))
            for target in filter(None, (name, assigned_name(call))):  # `m.eval()`, `m = Net().eval()`
                self.evals.setdefault(target, []).append(where)
        elif name and (sets_train_mode(call) or call.func.attr == "zero_grad"):
            self.trained.add(name)

    # ----- is it a model? -------------------------------------------------------------------

    def is_model(self, name: str, binding: Binding) -> bool:
        """An nn.Module by construction, or something the file trains."""
        if binding.kind != "value":
            return False
        if self.built_as_module(binding.value) or name in self.trained:
            return True
        # Called in a back-propagating loop: a model, unless a library built it (a loss, a tensor).
        root = chain_root(binding.value)
        return name in self.called_in_training and isinstance(root, ast.Call) and self.model.resolve(root.func) is None

    def built_as_module(self, expr: ast.AST, depth: int = 0) -> bool:
        expr = chain_root(expr)
        if depth > 6:
            return False
        if isinstance(expr, ast.Name):
            binding = self.bindings.lookup(expr.id, expr)
            return binding is not None and binding.kind == "value" and self.built_as_module(binding.value, depth + 1)
        if not isinstance(expr, ast.Call):
            return False
        func = expr.func
        qualname = self.model.resolve(func)
        if qualname is None:
            return isinstance(func, ast.Name) and func.id in self.classes and self.is_module_class(self.classes[func.id])
        if qualname == "copy.deepcopy" and expr.args:
            return self.built_as_module(expr.args[0], depth + 1)
        return is_module_constructor(qualname)

    def is_module_class(self, node: ast.ClassDef, seen: frozenset = frozenset()) -> bool:
        """A class of this file deriving from torch.nn (directly or through classes of this file)."""
        for base in node.bases:
            qualname = self.model.resolve(base)
            if qualname is not None:
                if qualname.startswith("torch.nn.") or qualname.endswith(("LightningModule", "PreTrainedModel")):
                    return True
            elif isinstance(base, ast.Name) and base.id in self.classes and base.id not in seen:
                if self.is_module_class(self.classes[base.id], seen | {node.name}):
                    return True
        return False

    # ----- was it put in eval mode? ---------------------------------------------------------------

    def eval_before(self, name: str, use: ast.Call, chunk, binding: Binding) -> bool:
        scope = enclosing_scope(use)
        where = position(chunk, use)
        evals = self.evals.get(name, [])
        if any(s is scope and at < where for s, at in evals):
            return True
        elsewhere = [(s, at) for s, at in evals if s is not scope]
        if not elsewhere:
            return False
        if binding.scope is scope:
            # Module code using a module-level model: a top-level function called earlier may eval it.
            return scope is None and any(self.called_at_module_level_before(s, where) for s, _ in elsewhere)
        # A global model used in a top-level function: put in eval mode at module level before the
        # function is first called. Evals in other functions: their order is unknown, assume fine.
        top_level = isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and enclosing_scope(scope) is None
        if binding.scope is not None or not top_level or any(s is not None for s, _ in elsewhere):
            return True
        first_call = self.module_calls.get(scope.name)
        return first_call is None or any(at < first_call for _, at in elsewhere)

    def called_at_module_level_before(self, function: ast.AST | None, where: tuple[int, int]) -> bool:
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or enclosing_scope(function) is not None:
            return False
        first_call = self.module_calls.get(function.name)
        return first_call is not None and first_call < where

    # ----- does the loop around the block train? ------------------------------------------------

    def trains_in(self, loop: ast.AST) -> bool:
        """A backward or an optimizer step in the loop, or a call of a local function that back-propagates."""
        if id(loop) in self.backward_loops:
            return True
        for node in walk_in_scope(loop.body):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id in self.backpropagating_functions:
                return True
            if isinstance(node.func, ast.Attribute) and node.func.attr == "step" \
                    and self.optimizers.stepped_optimizer(node) is not None:
                return True
        return False

    @cached_property
    def optimizers(self) -> "OptimizerNames":
        return OptimizerNames(self.model)

    @cached_property
    def backpropagating_functions(self) -> set[str]:
        return {name for name, node in self.functions.items()
                if any(isinstance(n, ast.Call) and is_backward(n, self.model) for n in ast.walk(node))}

    def restores_train_mode(self, loop: ast.AST, name: str) -> bool:
        """`name.train()` in the loop, or any `.train()` in a local function it calls."""
        for node in walk_in_scope(loop.body):
            if not isinstance(node, ast.Call) or not isinstance(node.func, (ast.Attribute, ast.Name)):
                continue
            if sets_train_mode(node):
                root = chain_root(node.func.value)
                if isinstance(root, ast.Name) and root.id == name:
                    return True
            elif isinstance(node.func, ast.Name) and node.func.id in self.functions and any(
                isinstance(n, ast.Call) and sets_train_mode(n) for n in ast.walk(self.functions[node.func.id])
            ):
                return True
        return False


def is_module_constructor(qualname: str) -> bool:
    """torch containers, torchvision/timm models, Hugging Face models built from a config.

    A Hugging Face `from_pretrained` model is left out: it is returned in eval mode already.
    """
    if qualname in ("torch.nn.Sequential", "torch.nn.modules.container.Sequential"):
        return True
    if qualname.startswith("torchvision.models.") or qualname == "timm.create_model" \
            or qualname.startswith("timm.models."):
        return True
    parts = qualname.split(".")
    if parts[0] == "transformers" and len(parts) >= 2:
        if parts[-1] == "from_config" and HF_MODEL_CLASS.match(parts[-2]):
            return True
        return HF_MODEL_CLASS.match(parts[-1]) is not None and parts[-1] != "from_pretrained"
    return False


@MISSING_EVAL_MODE.checker
def check_missing_eval_mode(model, rule):
    if not model.imports_any("torch"):
        return
    blocks = [(chunk, node, item) for chunk, node in model.nodes(ast.With, ast.AsyncWith)
              if (item := no_grad_item(model, node)) is not None]
    if not blocks:
        return
    models = TorchModels(model)
    for chunk, block, item in blocks:
        if any(isinstance(a, (ast.With, ast.AsyncWith)) and no_grad_item(model, a) for a in ancestors_in_scope(block)):
            continue  # the outermost no_grad block reports for the whole nest
        missing = models_missing_eval(models, chunk, block)
        if missing:
            yield missing_eval_finding(model, rule, models, chunk, block, item, missing)


def models_missing_eval(models: TorchModels, chunk, block) -> list[str]:
    """Models called in the block (`m(x)`, `m.forward(x)`) that were not put in eval mode before."""
    missing: list[str] = []
    for node in sorted(walk_in_scope(block.body), key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "forward":
            func = func.value
        if not isinstance(func, ast.Name) or func.id in missing:
            continue
        binding = models.bindings.lookup(func.id, node, chunk)
        if binding is None or not models.is_model(func.id, binding):
            continue  # a parameter, an import, a helper function: not resolved
        if not models.eval_before(func.id, node, chunk, binding):
            missing.append(func.id)
    return missing


def missing_eval_finding(model, rule, models: TorchModels, chunk, block, item, missing: list[str]):
    names = ", ".join(f"`{n}`" for n in missing)
    calls = ", ".join(f"`{n}.eval()`" for n in missing)
    verb = "is" if len(missing) == 1 else "are"
    message = (f"{names} {verb} called under `no_grad()` while still in training mode (dropout and batch "
               f"norm act as in training): call {calls} before the block")
    insertions = [insertion_before(model, chunk, block, [f"{n}.eval()" for n in missing])]
    restore = [n for n in missing if needs_train_restore(models, block, n)]
    if restore:
        insertions.append(insertion_after(model, chunk, block, [f"{n}.train()" for n in restore]))
    anchors = [model.line_text(line).strip() for line, _, _ in insertions]
    return rule.finding(model, item.context_expr, message, chunk=chunk, models=missing,
                        insertions=insertions, anchors=anchors, restores=restore)


def needs_train_restore(models: TorchModels, block, name: str) -> bool:
    """The block sits in a loop that trains: switching to eval mode must be undone after it."""
    loop = next((loop for loop in loops_around(block) if models.trains_in(loop)), None)
    return loop is not None and not models.restores_train_mode(loop, name)


@MISSING_EVAL_MODE.fixer
def fix_missing_eval_mode(text, finding):
    from ..core.chunks import split_lines

    lines = split_lines(text)
    edits = []
    for insertion, anchor in zip(finding.data["insertions"], finding.data["anchors"]):
        edit = insertion_edit(lines, insertion, anchor)
        if edit is None:
            return None
        edits.append(edit)
    models = finding.data["models"]
    message = f"Insert `{'`, `'.join(m + '.eval()' for m in models)}` before the block"
    if finding.data["restores"]:
        message += " and restore `.train()` after it"
    return Fix(message, tuple(edits))


# ----- ML304 forward-called-directly ---------------------------------------------------------

FORWARD_CALLED_DIRECTLY = Rule(
    code="ML304",
    name="forward-called-directly",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area=AREA,
    summary="`module.forward(x)` is called instead of `module(x)`.",
    why="`nn.Module.__call__` runs the registered forward and backward hooks (and the machinery "
    "built on them: pruning, quantisation observers, some profilers and distributed wrappers) "
    "around `forward`. Calling `forward` directly skips them, so the model that is evaluated is "
    "not quite the one that is trained or served.",
    bad="logits = model.forward(batch)",
    good="logits = model(batch)",
    fix_title="Call the module instead of .forward()",
)


def is_direct_forward(model, call: ast.Call, local_classes: set[str]) -> bool:
    """`x.forward(...)` on an instance; not `super().forward`, nor `Base.forward(self, x)`."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "forward"):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
        return False
    if model.resolve(receiver) is not None:  # `nn.Linear.forward(self, x)`, a module's function
        return False
    return not (isinstance(receiver, ast.Name) and receiver.id in local_classes)


@FORWARD_CALLED_DIRECTLY.checker
def check_forward_called_directly(model, rule):
    if not model.imports_any("torch"):
        return
    local_classes = None
    for chunk, call in model.nodes(ast.Call):
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "forward"):
            continue
        if local_classes is None:
            local_classes = {node.name for _, node in model.nodes(ast.ClassDef)}
        if is_direct_forward(model, call, local_classes):
            receiver = model.text_of(chunk, call.func.value) or "module"
            yield rule.finding(model, call, f"`{receiver}.forward(...)` bypasses the module's hooks: "
                               f"call `{receiver}(...)` instead", chunk=chunk)


@FORWARD_CALLED_DIRECTLY.fixer
def fix_forward_called_directly(text, finding):
    import libcst as cst

    from ..fixes.cst import StatementPatch

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span, cst.Call)
    if call is None or not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "forward"):
        return None
    edit = patch.replace(call, call.with_changes(func=call.func.value))
    return Fix("Call the module instead of `.forward()`", (edit,))


# ----- ML306 missing-evaluation ---------------------------------------------------------------

MISSING_EVALUATION = Rule(
    code="ML306",
    name="missing-evaluation",
    severity=Severity.INFORMATION,
    principle="Explainability",
    area=AREA,
    red_flag="missing evaluation metrics",
    summary="The file trains a model but computes no evaluation metric anywhere.",
    why="A model whose quality was never measured cannot be compared with a baseline, a previous "
    "version or a requirement, and nobody can explain why it should be trusted. Evaluating on "
    "held-out data (a metric, `.score`, cross-validation) is the minimum a reviewer expects.",
    bad="model = RandomForestClassifier().fit(X_train, y_train)\njoblib.dump(model, path)",
    good="model = RandomForestClassifier().fit(X_train, y_train)\n"
    "print(f1_score(y_test, model.predict(X_test)))\njoblib.dump(model, path)",
)

CV_EVALUATIONS = frozenset({
    "sklearn.model_selection.cross_val_score", "sklearn.model_selection.cross_validate",
    "sklearn.model_selection.cross_val_predict",
    # Refinement: these score the model on held-out folds or data too.
    "sklearn.model_selection.learning_curve", "sklearn.model_selection.validation_curve",
    "sklearn.model_selection.permutation_test_score", "sklearn.model_selection.LearningCurveDisplay",
    "sklearn.model_selection.ValidationCurveDisplay", "sklearn.calibration.calibration_curve",
    "sklearn.calibration.CalibrationDisplay",
})
EVALUATION_KEYWORDS = frozenset({"validation_data", "validation_split", "eval_set", "compute_metrics"})


def evaluates_anywhere(model) -> bool:
    """Any evaluation of RULES.md ML306 in the file."""
    if model.imports_any("torchmetrics"):
        return True
    for _ in model.calls_matching(is_evaluation_function):
        return True
    if uses_sklearn_metric(model) or evaluates_by_hand(model):
        return True
    for _, call in model.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and (
            func.attr in ("score", "evaluate") or (func.attr == "compile" and any(k.arg == "metrics" for k in call.keywords))
        ):
            return True
        if any(k.arg in EVALUATION_KEYWORDS for k in call.keywords):
            return True
    return False


def uses_sklearn_metric(model) -> bool:
    """A sklearn metric used as a value: `make_scorer`-free scorers, `for metric in [f1_score, ...]`."""
    aliases = {fact.alias for fact in model.import_facts
               if fact.qualname == "sklearn.metrics" or fact.qualname.startswith("sklearn.metrics.")}
    return bool(aliases) and any(node.id in aliases for _, node in model.nodes(ast.Name))


# An estimator's own held-out or cross-validated measure of its error.
EVALUATION_ATTRIBUTES = frozenset({"oob_score_", "cv_results_", "best_score_", "mse_path_", "cv_values_"})
AGGREGATES = frozenset({"mean", "sum", "average", "count_nonzero", "size", "item"})


def evaluates_by_hand(model) -> bool:
    """A refinement of the RULES.md list (it only silences ML306): evaluation written out by
    hand, `np.mean(y_pred == y_test)`, `pred.eq(target).sum()`, `y_pred[y_pred == -1].size`,
    an `accuracy(...)` helper, or a measure read from the estimator (`clf.oob_score_`,
    `cov.error_norm(true_cov)`, `search.cv_results_`)."""
    for _, node in model.nodes(ast.Attribute):
        if node.attr in EVALUATION_ATTRIBUTES or node.attr == "error_norm":
            return True
    for _, compare in model.nodes(ast.Compare):
        if len(compare.ops) == 1 and isinstance(compare.ops[0], (ast.Eq, ast.NotEq)) \
                and any(is_prediction(side) for side in (compare.left, compare.comparators[0])) \
                and is_aggregated(compare):
            return True
    for _, call in model.nodes(ast.Call):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if "accuracy" in name.lower():
            return True
        if name == "eq" and is_prediction(call.func.value) and is_aggregated(call):
            return True
    return False


def is_prediction(expr: ast.AST) -> bool:
    """`y_pred`, `predicted.ravel()`, `model.predict(X)`, `logits.argmax(1)`."""
    while isinstance(expr, (ast.Call, ast.Attribute, ast.Subscript)):
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) \
                and expr.func.attr in ("predict", "argmax", "fit_predict"):
            return True
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return isinstance(expr, ast.Name) and "pred" in expr.id.lower()


def is_aggregated(node: ast.AST) -> bool:
    """Counted or averaged within a few levels: `np.sum(a == b)`, `(a == b).float().mean()`, `x[a == b].size`."""
    for _ in range(6):
        node = parent(node)
        if isinstance(node, ast.Attribute) and node.attr in AGGREGATES:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if name in AGGREGATES:
                return True
        if node is None or isinstance(node, ast.stmt):
            return False
    return False


def is_evaluation_function(qualname: str) -> bool:
    owner = qualname.rsplit(".", 1)[0]  # `CalibrationDisplay.from_estimator(...)`
    return (qualname.startswith("sklearn.metrics.") or qualname in CV_EVALUATIONS or owner in CV_EVALUATIONS
            or qualname.endswith("SearchCV") or qualname.startswith("evaluate."))


@MISSING_EVALUATION.checker
def check_missing_evaluation(model, rule):
    training = first_training_call(model)
    if training is None or evaluates_anywhere(model):
        return
    yield rule.finding(model, training.call, f"This file trains a model ({training.label}) but computes no "
                       "evaluation metric anywhere (no sklearn.metrics, `.score`, cross-validation or "
                       "validation data)", chunk=training.chunk)


RULES = [MISSING_ZERO_GRAD, MISSING_EVAL_MODE, FORWARD_CALLED_DIRECTLY, MISSING_EVALUATION]
