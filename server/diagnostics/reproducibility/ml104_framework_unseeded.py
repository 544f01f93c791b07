"""ML104 framework-unseeded."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...facts.framework_training import (
    FRAMEWORK_ROOTS,
    head_initialisations,
    trained_module_constructions,
    training_uses,
)
from ...facts.rng_seeding import TORCH, seed_constant_of, seeding_of, top_level_alias
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE
from .seeds import insert_seed_call, seed_call_data

FRAMEWORK_UNSEEDED = Rule(
    code="ML104",
    name="framework-unseeded",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    summary="A PyTorch or TensorFlow/Keras model is trained (or a Hugging Face head initialised) "
    "before the framework's random generator is seeded.",
    why="Initial weights, dropout masks and the order of shuffled batches come from the framework's "
    "own generator, which numpy's seed does not touch. Unseeded, two runs of the same script end "
    "in different models, so a better score may be luck rather than your change.",
    bad="loader = DataLoader(train_set, batch_size=64, shuffle=True)",
    good="SEED = 42\ntorch.manual_seed(SEED)\nloader = DataLoader(train_set, batch_size=64, shuffle=True)",
    fix_title="Seed the framework after the imports",
    fix=insert_seed_call,  # the same fix as ML103's
)


@FRAMEWORK_UNSEEDED.checker
def check_framework_unseeded(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any(*FRAMEWORK_ROOTS):
        return
    # The first training use anchors the finding; a trained module's construction only when there is none.
    uses = training_uses(model) or trained_module_constructions(model)
    uses += head_initialisations(model)
    if not uses:
        return
    seeding = seeding_of(model)
    for use in uses:
        if not seeding.seeded(use.generator, *use.draw):
            yield rule.finding(model, use.node, f"{use.message}: results change on every run", chunk=use.chunk,
                               generator=use.generator, **framework_seed_fix_data(model, use))
            return  # one finding per file


def framework_seed_fix_data(model: ModuleModel, use) -> dict:
    """The framework's own seeding call, through the file's alias (`from transformers import set_seed` if none)."""
    code, alias, import_code = framework_seed_call(model, use)
    return seed_call_data(seed_constant_of(model), use.chunk, use.node, code, alias, import_code)


def framework_seed_call(model: ModuleModel, use) -> tuple[str | None, str | None, str | None]:
    """(call with `{seed}`, the alias it needs, an import to add): None when no safe call exists."""
    if use.hugging_face:
        if (alias := top_level_alias(model, "transformers")) is not None:
            return f"{alias}.set_seed({{seed}})", alias, None
        if top_level_alias(model, "transformers.set_seed") == "set_seed":
            return "set_seed({seed})", "set_seed", None
        if "set_seed" not in model.imports and not defines_function(model, "set_seed"):
            return "set_seed({seed})", None, "from transformers import set_seed"
        return None, None, None
    if use.generator == TORCH:
        if (alias := top_level_alias(model, "torch")) is not None:
            return f"{alias}.manual_seed({{seed}})", alias, None
        alias = top_level_alias(model, "lightning", "pytorch_lightning", "lightning.pytorch")
        return alias and f"{alias}.seed_everything({{seed}})", alias, None
    if (alias := top_level_alias(model, "tensorflow")) is not None:
        return f"{alias}.random.set_seed({{seed}})", alias, None
    alias = top_level_alias(model, "keras", "tensorflow.keras")
    return alias and f"{alias}.utils.set_random_seed({{seed}})", alias, None


def defines_function(model: ModuleModel, name: str) -> bool:
    return any(fn.name == name for _, fn in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef))

