"""What a file's PyTorch code does: its training loops, optimizers and models, and
when each model is put in train or eval mode. Read by the ML3 rules (training.py)."""

from __future__ import annotations

import ast
import re
from functools import cached_property

from ..model.bindings import Binding, name_bindings, position
from ..model.call_sites import function_calls
from ..model.calls import keyword_constant
from ..model.module_model import per_version
from ..parse.syntax import SCOPE_TYPES, ancestors, dotted_name, enclosing_scope, parent
from .module_classes import module_classes
from .training_calls import loops_of as loops_around

LOOPS = (ast.For, ast.AsyncFor, ast.While)

# ----- loops ------------------------------------------------------------------------------------


def is_backward(call: ast.Call, model) -> bool:
    """`loss.backward()`, `scaler.scale(loss).backward()`, `accelerator.backward(loss)`."""
    func = call.func
    return type(func) is ast.Attribute and func.attr == "backward" and model.resolve(func) is None


@per_version
def loops_with_backward(model) -> set[int]:
    """ids of the loops that hold a `.backward()` call (directly or in a nested block); shared by rules."""
    found = set()
    for _, call in model.method_calls("backward"):
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


# ----- optimizers -------------------------------------------------------------------------------

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


# ----- models and their mode --------------------------------------------------------------------

NO_GRAD = frozenset({
    "torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad", "torch.autograd.inference_mode",
    "torch.autograd.grad_mode.no_grad", "torch.autograd.grad_mode.inference_mode",
})
# Methods that return the module itself: `Net().to(device).eval()`.
MODULE_CHAIN = frozenset({"to", "cuda", "cpu", "double", "float", "half", "bfloat16", "eval", "train",
                          "requires_grad_", "share_memory"})
MODE_METHODS = frozenset({"eval", "train", "zero_grad"})
TORCHVISION_HELPERS = frozenset({"transforms", "list_models", "get_weight", "get_model_weights", "get_model_builder"})
HF_MODEL_CLASS = re.compile(r"^(TF|Flax)?(AutoModel\w*|\w+Model|\w+For[A-Z]\w*|\w+LMHeadModel)$")


def trains_its_arguments(qualname: str) -> bool:
    """An optimizer (given `model.parameters()`) or a trainer (given `model=`)."""
    return is_optimizer_constructor(qualname) or qualname.endswith("Trainer")


SET_GRAD_ENABLED = frozenset({"torch.set_grad_enabled", "torch.autograd.set_grad_enabled",
                              "torch.autograd.grad_mode.set_grad_enabled"})


def no_grad_item(model, node: ast.With | ast.AsyncWith) -> ast.withitem | None:
    """`no_grad()`, `inference_mode()`, `set_grad_enabled(False)` (a literal False only: a
    `phase == "train"` flag trains in some passes)."""
    for item in node.items:
        expr = item.context_expr
        target = expr.func if isinstance(expr, ast.Call) else expr
        qualname = model.resolve(target)
        if qualname in NO_GRAD:
            return item
        if qualname in SET_GRAD_ENABLED and isinstance(expr, ast.Call) and len(expr.args) == 1 \
                and isinstance(expr.args[0], ast.Constant) and expr.args[0].value is False:
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
        self.functions = {node.name: node for _, node in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
                          if enclosing_scope(node) is None}
        self.evals: dict[str, list[tuple[ast.AST | None, tuple[int, int]]]] = {}  # name -> [(scope, where)]
        self.trained: set[str] = set()  # parameters optimised, .train() / .zero_grad() called, given to a Trainer
        self.train_mode_calls: dict[str, list[tuple[int, int]]] = {}  # name -> where `.train()` is called
        self._called_in_training: dict[str, bool] = {}
        self._index_calls()

    def _index_calls(self) -> None:
        for chunk, call in self.model.method_calls(*MODE_METHODS):
            self._index_method_call(chunk, call)
        for _, call, _ in self.model.calls_matching(trains_its_arguments):  # SGD(model.parameters())
            for node in ast.walk(call):
                if isinstance(node, ast.Attribute) and node.attr in ("parameters", "named_parameters") \
                        and isinstance(node.value, ast.Name):
                    self.trained.add(node.value.id)
            self.trained.update(k.value.id for k in call.keywords if k.arg == "model" and isinstance(k.value, ast.Name))

    def first_module_level_call(self, function: str) -> tuple[int, int] | None:
        """Where module code first calls a top-level function."""
        for chunk, call in function_calls(self.model, function):
            if enclosing_scope(call) is None:
                return position(chunk, call)
        return None

    def _index_method_call(self, chunk, call: ast.Call) -> None:
        root = chain_root(call.func.value)
        name = root.id if isinstance(root, ast.Name) else None
        if sets_eval_mode(call):
            where = (enclosing_scope(call), position(chunk, call))
            for target in filter(None, (name, assigned_name(call))):  # `m.eval()`, `m = Net().eval()`
                self.evals.setdefault(target, []).append(where)
        elif name and (sets_train_mode(call) or call.func.attr == "zero_grad"):
            self.trained.add(name)
            if sets_train_mode(call):
                self.train_mode_calls.setdefault(name, []).append(position(chunk, call))

    @cached_property
    def backward_loops(self) -> set[int]:
        return loops_with_backward(self.model)

    def called_in_training(self, name: str) -> bool:
        """Is `name` called inside a loop that back-propagates? (memoised; stops at the first such call)"""
        found = self._called_in_training.get(name)
        if found is None:
            found = self._called_in_training[name] = any(
                id(loop) in self.backward_loops for _, call in function_calls(self.model, name)
                for loop in loops_around(call))
        return found

    # ----- is it a model? -------------------------------------------------------------------

    def is_model(self, name: str, binding: Binding) -> bool:
        """An nn.Module by construction, or something the file trains."""
        if binding.kind != "value":
            return False
        if self.built_as_module(binding.value) or name in self.trained:
            return True
        # Called in a back-propagating loop: a model, unless a library built it (a loss, a tensor).
        root = chain_root(binding.value)
        return isinstance(root, ast.Call) and self.model.resolve(root.func) is None and self.called_in_training(name)

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
        if qualname is None:  # a class of this file, or `from .models import Net`
            return isinstance(func, ast.Name) and func.id in module_classes(self.model) \
                or self.model.external.is_module_class(func)
        if qualname == "copy.deepcopy" and expr.args:
            return self.built_as_module(expr.args[0], depth + 1)
        # `from models import Net`: an nn.Module if cross-file resolution says so.
        return is_module_constructor(qualname) or self.model.external.is_module_class(func)

    # ----- does its mode matter? -------------------------------------------------------------------

    def mode_free(self, expr: ast.AST, depth: int = 0) -> bool:
        """Built only from layers that act the same in training and eval mode (Linear, Conv, ReLU,
        LayerNorm, ...: no dropout, no batch norm), as far as this file shows: `eval()` changes nothing.
        A layer of another library, or one this file cannot see, is assumed to care."""
        root = chain_root(expr)
        if depth > 6 or not isinstance(root, ast.Call):
            return False
        qualname = self.model.resolve(root.func)
        if qualname in ("torch.nn.Sequential", "torch.nn.ModuleList"):
            layers = [layer for arg in root.args for layer in self.listed_layers(arg)]
            return None not in layers and self.layers_mode_free(layers, depth)
        if qualname is not None:  # a single torch.nn layer; a library's model may hold anything
            return qualname.startswith("torch.nn.") and mode_free_layer(qualname, root)
        node = self.module_class_node(root.func)
        return node is not None and self.layers_mode_free(node.body, depth)

    def module_class_node(self, func: ast.AST) -> ast.ClassDef | None:
        """The top-level nn.Module class of this file that `func` names."""
        if not (isinstance(func, ast.Name) and func.id in module_classes(self.model)):
            return None
        return self.top_level_classes.get(func.id)

    @cached_property
    def top_level_classes(self) -> dict[str, ast.ClassDef]:
        return {node.name: node for _, node in self.model.nodes(ast.ClassDef) if enclosing_scope(node) is None}

    def listed_layers(self, arg: ast.AST) -> list:
        """The layer expressions an argument of Sequential stands for: itself, or for `*layers` the
        items the file puts in that list (`layers.append(nn.ReLU())`, `layer = nn.Linear(...);
        layers.append(layer)`); None for what it cannot see."""
        if isinstance(arg, ast.Call):
            return [arg]
        if not (isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name)):
            return [None]
        name, items = arg.value.id, []
        for _, node in self.model.nodes(ast.Call, ast.Assign):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
                items += node.value.elts if isinstance(node.value, ast.List) else [None]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("append", "insert") and getattr(node.func.value, "id", None) == name:
                items.append(node.args[-1] if node.args else None)
        return [self.bound_layer(item) for item in items] or [None]

    def bound_layer(self, item: ast.AST | None) -> ast.AST | None:
        if isinstance(item, ast.Name):
            binding = self.bindings.lookup(item.id, item)
            item = binding.value if binding is not None and binding.kind == "value" else None
        return item if isinstance(item, ast.Call) else None

    def layers_mode_free(self, nodes, depth: int) -> bool:
        """Every layer built in `nodes` is mode-free, and there is at least one (a stub shows nothing)."""
        layers = 0
        for node in (n for top in nodes for n in ast.walk(top)):
            if not isinstance(node, ast.Call):
                continue
            qualname = self.model.resolve(node.func)
            if qualname is None:
                if self.module_class_node(node.func) is not None:
                    if not self.mode_free(node, depth + 1):
                        return False
                    layers += 1
            elif qualname.startswith("torch.nn."):
                if not mode_free_layer(qualname, node):
                    return False
                layers += qualname.rsplit(".", 1)[1][:1].isupper()
            elif not qualname.startswith(("torch.", "builtins.", "math.", "numpy.")):
                return False  # torchvision, timm, torch_geometric...: may hold dropout or batch norm
        return layers > 0

    # ----- was it put in eval mode? ---------------------------------------------------------------

    def loaded_in_eval_mode(self, name: str, use: ast.Call, chunk, binding: Binding) -> bool:
        """A Hugging Face `from_pretrained` model is returned in eval mode: it stays so until
        `.train()` is called on it, or a training loop runs around the use."""
        root = chain_root(binding.value)
        qualname = self.model.resolve(root.func) if isinstance(root, ast.Call) else None
        if not (qualname and qualname.startswith("transformers.") and qualname.endswith(".from_pretrained")):
            return False
        where = position(chunk, use)
        if any(at < where for at in self.train_mode_calls.get(name, ())):
            return False
        return not any(self.trains_in(loop) for loop in loops_around(use))

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
        first_call = self.first_module_level_call(scope.name)
        return first_call is None or any(at < first_call for _, at in elsewhere)

    def called_at_module_level_before(self, function: ast.AST | None, where: tuple[int, int]) -> bool:
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or enclosing_scope(function) is not None:
            return False
        first_call = self.first_module_level_call(function.name)
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
        return optimizer_names(self.model)

    @cached_property
    def backpropagating_functions(self) -> set[str]:
        """Top-level functions holding a `.backward()` call (`def train_one_epoch(...)`)."""
        names = set()
        for _, call in self.model.method_calls("backward"):
            if is_backward(call, self.model):
                outermost = None
                for ancestor in ancestors(call):
                    if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        outermost = ancestor
                if outermost is not None and enclosing_scope(outermost) is None:
                    names.add(outermost.name)
        return names

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


# torch.nn layers whose forward is the same in training and eval mode.
MODE_FREE_LAYERS = frozenset({
    "Linear", "Bilinear", "LazyLinear", "Identity", "Flatten", "Unflatten", "Embedding", "EmbeddingBag",
    "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "GELU",
    "SiLU", "Mish", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Softplus", "Hardtanh", "LayerNorm",
    "GroupNorm", "Parameter", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "RNN", "LSTM", "GRU",
    "MSELoss", "L1Loss", "CrossEntropyLoss", "BCELoss", "BCEWithLogitsLoss", "NLLLoss",
})
RECURRENT = frozenset({"RNN", "LSTM", "GRU"})
MODE_FUNCTIONS = ("dropout", "alpha_dropout", "feature_alpha_dropout", "batch_norm", "instance_norm", "rrelu")


def mode_free_layer(qualname: str, call: ast.Call) -> bool:
    short = qualname.rsplit(".", 1)[1]
    if qualname.startswith("torch.nn.functional."):
        return not short.startswith(MODE_FUNCTIONS)
    if not short[:1].isupper():
        return True  # torch.nn.init.*, torch.nn.utils.*: functions, not layers
    if short in RECURRENT:  # their dropout= acts in training mode only
        return keyword_constant(call, "dropout", 0) in (0, 0.0)
    return short in MODE_FREE_LAYERS


@per_version
def torch_models(model) -> TorchModels:
    return TorchModels(model)


@per_version
def optimizer_names(model) -> OptimizerNames:
    return OptimizerNames(model)


def is_module_constructor(qualname: str) -> bool:
    """torch containers, torchvision/timm models, Hugging Face models built from a config.

    A Hugging Face `from_pretrained` model is left out: it is returned in eval mode already.
    """
    if qualname in ("torch.nn.Sequential", "torch.nn.modules.container.Sequential"):
        return True
    if qualname in ("timm.create_model", "torch.hub.load"):
        return True
    if qualname.startswith("torchvision.models."):  # resnet18(...), get_model(...), not the weights' helpers
        return "Weights" not in qualname and qualname.rsplit(".", 1)[1] not in TORCHVISION_HELPERS
    parts = qualname.split(".")
    if parts[0] == "transformers" and len(parts) >= 2:
        if parts[-1] == "from_config" and HF_MODEL_CLASS.match(parts[-2]):
            return True
        return HF_MODEL_CLASS.match(parts[-1]) is not None and parts[-1] != "from_pretrained"
    return False

