"""Where a file trains with a deep-learning framework (for ML104).

A "use" is a place that draws from the framework's generator while training:
a shuffling DataLoader, `.backward()`, a Keras `fit`, a `GradientTape` loop's
`apply_gradients`, a tf.data `.shuffle()`; failing those, the construction of a
torch module the file then trains; a Hugging Face task model whose new head is
initialised before a Trainer; and a Hugging Face model built `from_config`.
"""

from __future__ import annotations

import ast
import re
from typing import NamedTuple

from ..model.bindings import name_bindings
from ..model.calls import argument, has_keyword, has_star_kwargs, keyword_constant, method_name
from ..parse.syntax import dotted_name, parent
from .module_classes import module_classes
from .rng_seeding import LIGHTNING_ROOTS, TENSORFLOW, TORCH, position

FRAMEWORK_ROOTS = ("torch", "tensorflow", "keras", "transformers", *LIGHTNING_ROOTS)
DATA_LOADERS = ("torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader")
KERAS_PREFIXES = ("keras.", "tensorflow.keras.", "tensorflow.python.keras.")
TASK_MODEL = re.compile(r"^(TF|Flax)?(AutoModelFor\w+|\w+For[A-Z]\w*)$")
HF_TRAINER_ROOTS = ("transformers", "trl")


class Use(NamedTuple):
    where: tuple[int, int]
    chunk: object
    node: ast.AST
    generator: str  # TORCH or TENSORFLOW: whose seed must come first
    message: str
    hugging_face: bool = False
    draws_at: tuple[object, ast.AST] | None = None  # (chunk, node) where it draws, when not at `node`

    @property
    def draw(self) -> tuple[object, ast.AST]:
        return self.draws_at or (self.chunk, self.node)


def training_uses(model) -> list[Use]:
    """Every place that trains (shuffling DataLoader, backward, Keras fit, tf.data shuffle), in order."""
    uses = []
    if model.imports_any("torch"):
        for chunk, call in model.calls(*DATA_LOADERS):
            if keyword_constant(call, "shuffle") is True and not has_keyword(call, "generator"):
                draws_at = first_iteration(model, chunk, call)
                if draws_at is not ONLY_LOOKED_AT:
                    uses.append(Use(position(chunk, call), chunk, call, TORCH,
                                    "`DataLoader(shuffle=True)` shuffles with torch's unseeded generator",
                                    draws_at=draws_at))
        for chunk, call in model.method_calls("backward"):
            name = model.resolve(call.func)
            if name is None or name.startswith("torch."):
                uses.append(Use(position(chunk, call), chunk, call, TORCH, "`.backward()` trains with torch unseeded"))
    if model.imports_any("tensorflow", "keras"):
        keras_models = keras_model_names(model)
        for chunk, call in model.method_calls("fit", "fit_generator"):
            if dotted_name(call.func.value) in keras_models and not bound_to_other_library(model, chunk, call):
                uses.append(Use(position(chunk, call), chunk, call, TENSORFLOW,
                                f"`{call.func.attr}` trains a Keras model with TensorFlow unseeded"))
        if any(True for _ in model.calls("tensorflow.GradientTape")):
            for chunk, call in model.method_calls("apply_gradients"):
                uses.append(Use(position(chunk, call), chunk, call, TENSORFLOW,
                                "`apply_gradients` trains (a `GradientTape` loop) with TensorFlow unseeded"))
        for chunk, call in tf_data_shuffles(model):
            uses.append(Use(position(chunk, call), chunk, call, TENSORFLOW,
                            "`tf.data` `.shuffle()` runs without a seed, with TensorFlow unseeded"))
    return sorted(uses, key=lambda use: use.where)


def keras_model_names(model) -> set[str]:
    """Receivers `.compile(...)`d in this file, and names bound to keras Sequential/Model(...)."""
    names = {
        dotted_name(call.func.value) for _, call in model.method_calls("compile")
        if (call.args or call.keywords) and model.resolve(call.func.value) is None
    }
    for _, call, _ in model.calls_matching(
        lambda n: n.startswith(KERAS_PREFIXES) and n.rsplit(".", 1)[1] in ("Sequential", "Model")
    ):
        if isinstance(up := parent(call), ast.Assign) and up.value is call:
            names.update(dotted_name(target) for target in up.targets)
    names.discard(None)
    return names


def bound_to_other_library(model, chunk, call: ast.Call) -> bool:
    """`model = ARIMA(y, order=(1, 1, 1)); model.fit()`: the name holds a statsmodels model here,
    even if it is rebound to a Keras model later (a name's type follows program order)."""
    receiver = call.func.value
    if not isinstance(receiver, ast.Name):
        return False
    binding = name_bindings(model).lookup(receiver.id, call, chunk)
    constructor = constructor_at_root(binding.value) if binding is not None else None
    name = model.resolve(constructor.func) if constructor is not None else None
    return name is not None and not name.startswith(("keras.", "tensorflow.", "tf_keras."))


def tf_data_shuffles(model):
    """`.shuffle(buffer)` without a seed on a tf.data pipeline (or on a name bound to one)."""
    unseeded = [(chunk, call) for chunk, call in model.method_calls("shuffle")
                if len(call.args) < 2 and not has_keyword(call, "seed") and model.resolve(call.func) is None]
    if not unseeded:
        return
    datasets: set[str] = set()
    for _, assign in model.nodes(ast.Assign):
        if is_tf_dataset(model, assign.value, datasets):
            datasets.update(n.id for target in assign.targets for n in ast.walk(target) if isinstance(n, ast.Name))
    for chunk, call in unseeded:
        if is_tf_dataset(model, call.func.value, datasets):
            yield chunk, call


def is_tf_dataset(model, expr: ast.AST, datasets: set[str]) -> bool:
    """Does the chain `expr` start at a tf.data / tfds / keras dataset source (or a name bound to one)?"""
    while True:
        if isinstance(expr, ast.Call):
            name = model.resolve(expr.func)
            if name is not None:
                return name.startswith(("tensorflow.data.", "tensorflow_datasets.")) or (
                    name.startswith(("tensorflow.", "keras.")) and "dataset" in name.rsplit(".", 1)[1]
                )
            expr = expr.func
        elif isinstance(expr, (ast.Attribute, ast.Subscript)):
            expr = expr.value
        else:
            return isinstance(expr, ast.Name) and expr.id in datasets


def trained_module_constructions(model) -> list[Use]:
    """Constructions of torch modules the file then trains (through an optimizer or `trainer.fit`)."""
    if not model.imports_any("torch", *LIGHTNING_ROOTS):
        return []
    trained = trained_names(model)
    if not trained:
        return []
    classes = module_classes(model)
    uses = []
    for chunk, assign in model.nodes(ast.Assign):
        call = constructor_at_root(assign.value)
        if call is None or not any(dotted_name(target) in trained for target in assign.targets):
            continue
        name = model.resolve(call.func)
        if (isinstance(call.func, ast.Name) and call.func.id in classes) or (
            name is not None and name.startswith("torch.nn.") and name.rsplit(".", 1)[1][:1].isupper()
        ) or model.external.is_module_class(call.func):  # a module class of another workspace file
            uses.append(Use(position(chunk, call), chunk, call, TORCH,
                            f"`{dotted_name(call.func)}` is initialised with random weights and trained "
                            "with torch unseeded"))
    return sorted(uses, key=lambda use: use.where)


def trained_names(model) -> set[str]:
    """Names that get trained: `trainer.fit(model)`, or whose `.parameters()` go to a torch optimizer."""
    names = set()
    for _, call in model.method_calls("fit"):
        trained = argument(call, 0, "model")
        if trained is not None and model.resolve(call.func.value) is None:
            names.add(dotted_name(trained))
    for _, call, _ in model.calls_matching(lambda n: n.startswith("torch.optim.")):
        for node in ast.walk(call):
            if isinstance(node, ast.Call) and method_name(node) in ("parameters", "named_parameters"):
                names.add(dotted_name(node.func.value))
    names.discard(None)
    return names


# Calls that only look at a loader (`len(loader)`, `next(iter(loader))` to show one batch).
LOOKS_ONLY = frozenset({"len", "iter", "next", "print", "display", "type"})


ONLY_LOOKED_AT = ("only looked at", None)


def first_iteration(model, chunk, loader: ast.Call) -> tuple[object, ast.AST] | None:
    """Where a module-level loader `name = DataLoader(...)` is first iterated or handed to training
    code (`for batch in loader`, `train(model, loader)`): its shuffle order is drawn then, from the
    generator as seeded at that point. ONLY_LOOKED_AT when the file only looks at it (`next(iter(
    loader))` to show a batch); None when the file shows nothing either way."""
    up = parent(loader)
    if not (isinstance(up, ast.Assign) and len(up.targets) == 1 and isinstance(up.targets[0], ast.Name)) \
            or any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for node in ancestors(up)):
        return None
    name, start, looked_at = up.targets[0].id, position(chunk, loader), False
    for use_chunk, node in model.nodes(ast.Name):
        if node.id == name and isinstance(node.ctx, ast.Load) and position(use_chunk, node) > start:
            if iterates(node):
                return use_chunk, node
            looked_at = True
    return ONLY_LOOKED_AT if looked_at else None


# Calls that pass iteration through: `for step, batch in enumerate(tqdm(loader))`.
ITERATION_WRAPPERS = frozenset({"enumerate", "zip", "tqdm", "iter"})


def iterates(name: ast.Name) -> bool:
    """`for _ in name`, `for _ in enumerate(tqdm(name))`, or `name` handed to a call that is not a mere look."""
    node, up = name, parent(name)
    while isinstance(up, ast.keyword) or (isinstance(up, ast.Call) and up.func is not node
                                          and callee_name(up) in ITERATION_WRAPPERS):
        node, up = up, parent(up)
    if isinstance(up, (ast.For, ast.AsyncFor, ast.comprehension)) and up.iter is node:
        return True
    return isinstance(up, ast.Call) and up.func is not node and callee_name(up) not in LOOKS_ONLY


def callee_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def ancestors(node: ast.AST):
    while (node := parent(node)) is not None:
        yield node


def constructor_at_root(expr: ast.AST) -> ast.Call | None:
    """`Net(...)` in `Net(...).to(device).double()`."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Call):
        expr = expr.func.value
    return expr if isinstance(expr, ast.Call) else None


# Heads a pretraining checkpoint already has (language modelling, generation): nothing new is drawn.
PRETRAINED_HEADS = re.compile(r"For(CausalLM|MaskedLM|Seq2SeqLM|ConditionalGeneration|Vision2Seq|ImageTextToText"
                              r"|SpeechSeq2Seq|PreTraining|TextToWaveform|TextToSpectrogram)$")
# Classification heads are sized by the labels: without them the checkpoint's own (fine-tuned) head is used.
LABEL_HEADS = re.compile(r"For\w*Classification$")
LABEL_KEYWORDS = ("num_labels", "id2label", "label2id", "ignore_mismatched_sizes")


def draws_a_new_head(task_model: str, call: ast.Call) -> bool:
    if PRETRAINED_HEADS.search(task_model):
        return False
    if LABEL_HEADS.search(task_model):
        return has_keyword(call, *LABEL_KEYWORDS)
    return True


def random_models(model) -> list[Use]:
    """`AutoModelFor...from_config(config)` / `AutoModel.from_config(config)`: every weight is drawn."""
    uses = []
    for chunk, call in model.method_calls("from_config"):
        name = model.resolve(call.func.value)
        if name and name.startswith("transformers.") and not name.rsplit(".", 1)[1].startswith("Flax"):
            generator = TENSORFLOW if name.rsplit(".", 1)[1].startswith("TF") else TORCH
            uses.append(Use(position(chunk, call), chunk, call, generator,
                            f"`{dotted_name(call.func)}` builds a model with every weight drawn at random before "
                            "any seed is set", hugging_face=True))
    return uses


def head_initialisations(model) -> list[Use]:
    """`*For<Task>.from_pretrained(...)` built before a Hugging Face Trainer without `model_init=`
    (only heads the checkpoint cannot have), and `from_config(...)` models."""
    trainer_calls = [
        (chunk, call)
        for chunk, call, _ in model.calls_matching(
            lambda n: n.split(".", 1)[0] in HF_TRAINER_ROOTS and n.endswith("Trainer"))
        if not has_keyword(call, "model_init") and not has_star_kwargs(call)
    ]
    uses = random_models(model)
    if not trainer_calls:
        return uses
    last_trainer = max(position(chunk, call) for chunk, call in trainer_calls)
    companions = frozen_companions([call for _, call in trainer_calls])
    for chunk, call in model.method_calls("from_pretrained"):
        name = model.resolve(call.func.value)
        match = TASK_MODEL.match(name.rsplit(".", 1)[1]) if name and name.startswith("transformers.") else None
        if match and match.group(1) != "Flax" and position(chunk, call) < last_trainer \
                and draws_a_new_head(match.group(2), call) and assigned_name(call) not in companions:
            uses.append(Use(position(chunk, call), chunk, call, TENSORFLOW if match.group(1) == "TF" else TORCH,
                            f"`{dotted_name(call.func)}` builds a task model before any seed is set (its head "
                            "is initialised at random unless the checkpoint has one; the Trainer seeds only when "
                            "it is built, so seed first or pass `model_init=`)",
                            hugging_face=True))
    return sorted(uses, key=lambda use: use.where)


# Trainer keywords for models it scores or distils from and never trains (a PPO `value_model` is trained).
FROZEN_ROLES = frozenset({"ref_model", "reward_model", "reward_funcs", "judge", "teacher_model"})


def frozen_companions(trainer_calls: list[ast.Call]) -> set[str]:
    """Names handed to a Trainer only as a judge or a reference (`reward_funcs=reward_model`,
    `ref_model=`): the Trainer scores with them and never trains them, so their heads draw nothing
    that matters. A name also passed in another role (the trained `model`) is not one."""
    companions, trained = set(), set()
    for call in trainer_calls:
        trained.update(dotted_name(arg) for arg in call.args[:1])
        for keyword in call.keywords:
            (companions if keyword.arg in FROZEN_ROLES else trained).add(dotted_name(keyword.value))
    return companions - trained - {None}


def assigned_name(call: ast.Call) -> str | None:
    up = parent(call)
    if isinstance(up, ast.Assign) and len(up.targets) == 1:
        return dotted_name(up.targets[0])
    return None
