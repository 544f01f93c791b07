"""ML308 softmax-before-cross-entropy."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from ...model.bindings import name_bindings
from ...model.call_sites import function_calls
from ...model.calls import argument, keyword
from ...model.module_model import ModuleModel
from ...parse.positions import Span
from ...parse.syntax import dotted_name, parent
from ...rules.findings import Edit, Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA

SOFTMAX_BEFORE_CROSS_ENTROPY = Rule(
    code="ML308",
    name="softmax-before-cross-entropy",
    severity=Severity.ERROR,
    principle="Reproducibility",
    area=AREA,
    summary="A cross-entropy loss that expects logits (`CrossEntropyLoss`, `F.cross_entropy`, Keras "
    "`from_logits=True`), or an `nll_loss` that expects log-probabilities, is given softmax output.",
    why="`CrossEntropyLoss` applies log-softmax itself: a softmax before it squashes the logits "
    "into [0, 1], so the loss barely changes between right and wrong answers, gradients vanish "
    "and training stalls or converges to a worse model, with no error. `nll_loss` expects "
    "`log_softmax` output; given probabilities it optimises the wrong quantity.",
    bad="probs = model(x)\nloss = F.cross_entropy(F.softmax(logits, dim=1), y)",
    good="loss = F.cross_entropy(logits, y)  # softmax only when you need probabilities",
    fix_title="Pass the logits to the loss",
)

CROSS_ENTROPY = "cross_entropy"  # the loss applies log-softmax itself: it wants logits
NLL = "nll_loss"  # the loss wants log-probabilities
LOSS_FUNCTIONS = {"torch.nn.functional.cross_entropy": CROSS_ENTROPY, "torch.nn.functional.nll_loss": NLL}
LOSS_CLASSES = {
    "torch.nn.CrossEntropyLoss": CROSS_ENTROPY, "torch.nn.modules.loss.CrossEntropyLoss": CROSS_ENTROPY,
    "torch.nn.NLLLoss": NLL, "torch.nn.modules.loss.NLLLoss": NLL,
}
SOFTMAX_FUNCTIONS = frozenset({"torch.nn.functional.softmax", "torch.softmax", "torch.special.softmax"})
SOFTMAX_MODULES = frozenset({"torch.nn.Softmax", "torch.nn.modules.activation.Softmax"})
KERAS_PREFIXES = ("keras.", "tensorflow.keras.", "tf_keras.", "tensorflow.python.keras.")
KERAS_LOSSES = frozenset({"CategoricalCrossentropy", "SparseCategoricalCrossentropy"})
KERAS_SOFTMAX = frozenset({"softmax"})
MAX_DEPTH = 4


@SOFTMAX_BEFORE_CROSS_ENTROPY.checker
def check_softmax_before_cross_entropy(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if model.imports_any("torch") and has_softmax(model):
        yield from torch_findings(model, rule)
    if model.imports_any("keras", "tensorflow", "tf_keras"):
        yield from keras_findings(model, rule)


# ----- PyTorch -----------------------------------------------------------------------------------


def torch_findings(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    softmax = SoftmaxOutputs(model)
    for chunk, call, kind in loss_calls(model):
        given = argument(call, 0, "input")
        if given is None:
            continue
        source = softmax.source(chunk, given)
        if source is None:
            continue
        expected = "logits" if kind == CROSS_ENTROPY else "log-probabilities (`log_softmax`)"
        message = f"{loss_label(model, call, kind)} expects {expected} but is given {source}"
        message += ": softmax is applied twice" if kind == CROSS_ENTROPY else ": use `log_softmax`"
        yield rule.finding(model, given, message, chunk=chunk, **inline_fix_data(model, chunk, given, kind))


def has_softmax(model: ModuleModel) -> bool:
    """Any softmax call or `nn.Softmax` in the file (from the call indexes: no walk)."""
    return any(True for _ in model.method_calls("softmax")) or any(
        True for _ in model.calls(*SOFTMAX_FUNCTIONS, *SOFTMAX_MODULES))


def loss_calls(model: ModuleModel) -> list[tuple[object, ast.Call, str]]:
    """(chunk, call, kind) of every call of a cross-entropy or NLL loss: the function, an instance
    called at once, or a name / attribute bound to an instance."""
    found = [(chunk, call, kind) for name, kind in LOSS_FUNCTIONS.items() for chunk, call in model.calls(name)]
    bindings = name_bindings(model)
    constructions = [(chunk, call, kind) for name, kind in LOSS_CLASSES.items() for chunk, call in model.calls(name)]
    for chunk, construction, kind in constructions:
        holder = parent(construction)
        if isinstance(holder, ast.Call) and holder.func is construction:
            found.append((chunk, holder, kind))  # nn.CrossEntropyLoss()(out, y)
            continue
        if not (isinstance(holder, ast.Assign) and holder.value is construction and len(holder.targets) == 1):
            continue
        target = holder.targets[0]
        if isinstance(target, ast.Name):
            for use_chunk, use in function_calls(model, target.id):
                binding = bindings.lookup(target.id, use, use_chunk)
                if binding is not None and binding.value is construction:
                    found.append((use_chunk, use, kind))
        elif (written := dotted_name(target)) is not None:  # self.criterion = nn.CrossEntropyLoss()
            for use_chunk, use in model.method_calls(target.attr):
                if dotted_name(use.func) == written:
                    found.append((use_chunk, use, kind))
    return found


def loss_label(model: ModuleModel, call: ast.Call, kind: str) -> str:
    qualname = model.resolve(call.func)
    if qualname in LOSS_FUNCTIONS:
        return f"`{qualname.rsplit('.', 1)[-1]}`"
    return "`CrossEntropyLoss`" if kind == CROSS_ENTROPY else "`NLLLoss`"


class SoftmaxOutputs:
    """Which expressions hold softmax output: a softmax call, a name bound to one, or the output of a
    model whose last step is a softmax (`nn.Sequential(..., nn.Softmax(1))`, a `forward` returning one)."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self.bindings = name_bindings(model)
        self._softmax_modules: dict[str, bool] = {}

    @cached_property
    def classes(self) -> dict[str, ast.ClassDef]:
        return {node.name: node for _, node in self.model.nodes(ast.ClassDef)}

    def source(self, chunk, expr: ast.AST, depth: int = 0) -> str | None:
        """How `expr` comes to hold softmax output (for the message), or None."""
        if depth > MAX_DEPTH:
            return None
        if self.inline_softmax(expr) is not None:
            return "softmax output"
        if isinstance(expr, ast.Name):
            binding = self.bindings.lookup(expr.id, expr, chunk)
            if binding is None or binding.kind != "value" or binding.value is None:
                return None
            found = self.source(chunk, binding.value, depth + 1)
            return f"`{expr.id}`, which holds {found}" if found and found.startswith(("softmax", "the output")) \
                else found
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) \
                and self.ends_in_softmax(chunk, expr.func, depth + 1):
            return f"the output of `{expr.func.id}`, whose last layer is a softmax"
        return None

    def inline_softmax(self, expr: ast.AST) -> ast.AST | None:
        """The tensor a softmax call applies to: `F.softmax(x, 1)`, `x.softmax(1)`, `nn.Softmax(1)(x)`,
        `self.softmax(x)` with `self.softmax = nn.Softmax(1)`."""
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        qualname = self.model.resolve(func)
        if qualname in SOFTMAX_FUNCTIONS:
            return argument(expr, 0, "input")
        if isinstance(func, ast.Attribute) and func.attr == "softmax" and qualname is None:
            on_module = self.is_softmax_module(func) or (isinstance(func.value, ast.Name) and func.value.id == "self")
            return argument(expr, 0) if on_module else func.value  # `self.softmax(x)` vs `x.softmax(1)`
        if isinstance(func, ast.Call) and self.model.resolve(func.func) in SOFTMAX_MODULES:
            return argument(expr, 0)
        if isinstance(func, (ast.Name, ast.Attribute)) and qualname is None and self.is_softmax_module(func):
            return argument(expr, 0)
        return None

    def is_softmax_module(self, func: ast.AST) -> bool:
        """`self.softmax` / `act` assigned an `nn.Softmax(...)` somewhere in the file."""
        written = dotted_name(func)
        if written is None:
            return False
        known = self._softmax_modules.get(written)
        if known is None:
            known = self._softmax_modules[written] = any(
                isinstance(holder := parent(call), ast.Assign) and holder.value is call
                and any(dotted_name(target) == written for target in holder.targets)
                for _, call in self.model.calls(*SOFTMAX_MODULES))
        return known

    def ends_in_softmax(self, chunk, func: ast.Name, depth: int) -> bool:
        """A model name bound to `nn.Sequential(..., nn.Softmax())` or to an instance of a local class
        whose `forward` returns softmax output on every path."""
        binding = self.bindings.lookup(func.id, func, chunk)
        if binding is None or binding.kind != "value" or not isinstance(binding.value, ast.Call):
            return False
        built = binding.value
        while isinstance(built.func, ast.Attribute) and built.func.attr in ("to", "cuda", "cpu", "train") \
                and isinstance(built.func.value, ast.Call):
            built = built.func.value  # Net().to(device)
        qualname = self.model.resolve(built.func)
        if qualname in ("torch.nn.Sequential", "torch.nn.modules.container.Sequential"):
            last = built.args[-1] if built.args and not isinstance(built.args[-1], ast.Starred) else None
            return isinstance(last, ast.Call) and self.model.resolve(last.func) in SOFTMAX_MODULES
        if qualname is None and isinstance(built.func, ast.Name) and built.func.id in self.classes:
            return self.forward_returns_softmax(self.classes[built.func.id], depth)
        return False

    def forward_returns_softmax(self, cls: ast.ClassDef, depth: int) -> bool:
        forward = next((node for node in cls.body if isinstance(node, ast.FunctionDef) and node.name == "forward"),
                       None)
        if forward is None:
            return False
        returns = [node for node in ast.walk(forward) if isinstance(node, ast.Return)]
        if not returns:
            return False
        chunk = self.model.chunk_of(forward)
        return all(node.value is not None and self.returned_softmax(chunk, node.value, depth) for node in returns)

    def returned_softmax(self, chunk, value: ast.AST, depth: int) -> bool:
        if self.inline_softmax(value) is not None:
            return True
        if isinstance(value, ast.Name) and depth <= MAX_DEPTH:
            binding = self.bindings.lookup(value.id, value, chunk)
            return binding is not None and binding.kind == "value" and binding.value is not None \
                and self.inline_softmax(binding.value) is not None
        return False


def inline_fix_data(model: ModuleModel, chunk, given: ast.AST, kind: str) -> dict:
    """Cross-entropy: replace the softmax call by its input. NLL: `softmax` becomes `log_softmax`."""
    softmax = SoftmaxOutputs(model)
    tensor = softmax.inline_softmax(given)
    if tensor is None:
        return {"fixable": False}
    span = model.span(chunk, given)
    data = {"replace": [span.line, span.col, span.end_line, span.end_col], "expected": model.text_of(chunk, given)}
    if kind == CROSS_ENTROPY:
        return {**data, "replacement": model.text_of(chunk, tensor), "kind": kind}
    func = given.func
    renamable = tensor is func.value or model.resolve(func) in SOFTMAX_FUNCTIONS  # not `self.softmax(x)`
    if isinstance(func, ast.Attribute) and func.attr == "softmax" and renamable:
        text = data["expected"]
        start = text.rfind("softmax", 0, len(model.text_of(chunk, func)))
        return {**data, "replacement": text[:start] + "log_softmax" + text[start + len("softmax"):], "kind": kind}
    return {"fixable": False}


# ----- Keras -------------------------------------------------------------------------------------


def keras_findings(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    for chunk, call in model.method_calls("compile"):
        loss = keyword(call, "loss")
        flag = from_logits_flag(model, chunk, loss) if loss is not None else None
        if flag is None or not keras_model_ends_in_softmax(model, chunk, call.func.value):
            continue
        yield rule.finding(model, flag, "`from_logits=True` tells the loss to apply softmax, but the model's "
                           "last layer already does: softmax is applied twice", fixable=False)


def from_logits_flag(model: ModuleModel, chunk, loss: ast.AST) -> ast.AST | None:
    """The `from_logits=True` keyword of a categorical cross-entropy loss (built here or bound to a name)."""
    if isinstance(loss, ast.Name):
        binding = name_bindings(model).lookup(loss.id, loss, chunk)
        loss = binding.value if binding is not None and binding.kind == "value" else None
    if not isinstance(loss, ast.Call):
        return None
    qualname = model.resolve(loss.func) or ""
    if not (qualname.startswith(KERAS_PREFIXES) and qualname.rsplit(".", 1)[-1] in KERAS_LOSSES):
        return None
    flag = next((k for k in loss.keywords if k.arg == "from_logits"), None)
    return flag if flag is not None and isinstance(flag.value, ast.Constant) and flag.value.value is True else None


def keras_model_ends_in_softmax(model: ModuleModel, chunk, receiver: ast.AST) -> bool:
    """`Sequential([..., Dense(n, activation="softmax")])`, or the last `model.add(...)` before the compile."""
    if not isinstance(receiver, ast.Name):
        return False
    binding = name_bindings(model).lookup(receiver.id, receiver, chunk)
    if binding is None or binding.kind != "value" or not isinstance(binding.value, ast.Call):
        return False
    built = binding.value
    qualname = model.resolve(built.func) or ""
    if not (qualname.startswith(KERAS_PREFIXES) and qualname.endswith("Sequential")):
        return False
    layers = built.args[0].elts if built.args and isinstance(built.args[0], (ast.List, ast.Tuple)) else []
    added = [call.args[0] for add_chunk, call in model.method_calls("add")
             if isinstance(call.func.value, ast.Name) and call.func.value.id == receiver.id and call.args
             and binding.position < position_of(add_chunk, call) < position_of(chunk, receiver)]
    last = (added or layers or [None])[-1]
    return last is not None and is_softmax_layer(model, last)


def position_of(chunk, node: ast.AST) -> tuple[int, int]:
    return chunk.absolute_line(node.lineno), node.col_offset


def is_softmax_layer(model: ModuleModel, layer: ast.AST) -> bool:
    """`Dense(10, activation="softmax")`, `Activation("softmax")`, `Softmax()`."""
    if not isinstance(layer, ast.Call):
        return False
    qualname = model.resolve(layer.func) or ""
    if not qualname.startswith(KERAS_PREFIXES):
        return False
    last = qualname.rsplit(".", 1)[-1]
    if last == "Softmax":
        return True
    activation = keyword(layer, "activation")
    if activation is None and last == "Activation" and layer.args:
        activation = layer.args[0]
    if isinstance(activation, ast.Constant):
        return activation.value in KERAS_SOFTMAX
    return activation is not None and (model.resolve(activation) or "").endswith(".softmax")


# ----- fix ---------------------------------------------------------------------------------------


@SOFTMAX_BEFORE_CROSS_ENTROPY.fixer
def fix_softmax_before_cross_entropy(text: str, finding: Finding) -> Fix | None:
    from ...fixes.edits import line_starts, to_offset

    data = finding.data
    line, col, end_line, end_col = data["replace"]
    starts = line_starts(text)
    try:
        start, end = to_offset(starts, text, line, col), to_offset(starts, text, end_line, end_col)
    except (IndexError, ValueError):
        return None
    if text[start:end] != data["expected"]:
        return None
    message = "Pass the logits to the loss" if data["kind"] == CROSS_ENTROPY else "Use `log_softmax`"
    return Fix(message, (Edit(Span(line, col, end_line, end_col), data["replacement"]),))
