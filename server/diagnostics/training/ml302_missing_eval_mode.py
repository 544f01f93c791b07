"""ML302 missing-eval-mode."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...facts.torch_models import TorchModels, loops_around, no_grad_item, torch_models, walk_in_scope
from ...facts.training_calls import ancestors_in_scope
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA
from .insertions import insertion_after, insertion_before, insertion_edit

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


@MISSING_EVAL_MODE.checker
def check_missing_eval_mode(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any("torch"):
        return
    blocks = [(chunk, node, item) for chunk, node in model.nodes(ast.With, ast.AsyncWith)
              if (item := no_grad_item(model, node)) is not None]
    if not blocks:
        return
    outermost = [(chunk, block, item) for chunk, block, item in blocks if not any(
        isinstance(a, (ast.With, ast.AsyncWith)) and no_grad_item(model, a) for a in ancestors_in_scope(block)
    )]  # the outermost no_grad block reports for the whole nest
    called = {chunk_block: called_models(chunk_block[1]) for chunk_block in
              ((chunk, block) for chunk, block, _ in outermost)}
    if not any(called.values()):
        return
    models = torch_models(model)
    for chunk, block, item in outermost:
        missing = models_missing_eval(models, chunk, called[(chunk, block)])
        if missing:
            yield missing_eval_finding(model, rule, models, chunk, block, item, missing)


def called_models(block) -> list[tuple[str, ast.Call]]:
    """(name, call) of every `name(...)` / `name.forward(...)` in the block, in source order."""
    found = []
    for node in walk_in_scope(block.body):
        if isinstance(node, ast.Call):
            func = node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr == "forward" else node.func
            if isinstance(func, ast.Name):
                found.append((func.id, node))
    found.sort(key=lambda pair: (pair[1].lineno, pair[1].col_offset))
    return found


def models_missing_eval(models: TorchModels, chunk: Chunk, calls: list[tuple[str, ast.Call]]) -> list[str]:
    """Models called in the block that were not put in eval mode before."""
    missing: list[str] = []
    for name, call in calls:
        if name in missing:
            continue
        binding = models.bindings.lookup(name, call, chunk)
        if binding is None or not models.is_model(name, binding):
            continue  # a parameter, an import, a helper function: not resolved
        if models.mode_free(binding.value):
            continue  # no dropout or batch norm: eval() would change nothing
        in_eval_mode = models.eval_before(name, call, chunk, binding) or \
            models.loaded_in_eval_mode(name, call, chunk, binding)
        if not in_eval_mode:
            missing.append(name)
    return missing


def missing_eval_finding(model: ModuleModel, rule: Rule, models: TorchModels, chunk: Chunk, block, item, missing: list[str]):
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
def fix_missing_eval_mode(text: str, finding: Finding) -> Fix | None:
    from ...parse.chunks import split_lines

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
