"""ML301 missing-zero-grad."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...facts.torch_models import LOOPS, OptimizerNames, loops_around, loops_with_backward, optimizer_names
from ...facts.training_calls import ancestors_in_scope
from ...model.call_sites import attribute_nodes
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.syntax import dotted_name, enclosing_statement, parent
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA
from .insertions import insertion_after, insertion_before, insertion_edit

TORCH_FAMILY = ("torch", "accelerate", "lightning", "pytorch_lightning", "transformers")


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
def check_missing_zero_grad(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any(*TORCH_FAMILY):
        return
    steps = list(model.method_calls("step"))
    if not steps:
        return
    with_backward = loops_with_backward(model)
    if not with_backward:
        return
    optimizers = optimizer_names(model)
    resets = gradient_resets(model)
    for chunk, step in steps:
        optimizer = optimizers.stepped_optimizer(step)
        if optimizer is None:
            continue
        loops = loops_around(step)
        training = next((loop for loop in loops if id(loop) in with_backward), None)
        if training is None or zeroed_in(loops[-1], dotted_name(optimizer), optimizers, resets):
            continue
        name = dotted_name(optimizer)
        yield rule.finding(
            model, step, f"`{name}.step()` runs after `backward()` in a loop that never calls "
            f"`{name}.zero_grad()`: gradients accumulate across iterations",
            chunk=chunk, optimizer=name, **zero_grad_insertion(model, chunk, step, training, name),
        )


def gradient_resets(model: ModuleModel) -> list[tuple[str | None, ast.AST | None, set[int]]]:
    """Every gradient reset as (receiver name or None for `p.grad = None`, receiver node, ids of its loops)."""
    resets = []
    candidates = [node for _, node in model.method_calls("zero_grad", "zero_", "detach_")]
    candidates += [parent(node) for _, node in attribute_nodes(model, "grad") if isinstance(parent(node), ast.Assign)]
    for node in candidates:
        zeroes, receiver = zeroes_gradients(node)
        if zeroes:
            receiver_node = node.func.value if receiver is not None else None
            resets.append((receiver, receiver_node, {id(loop) for loop in loops_around(node)}))
    return resets


def zeroed_in(loop: ast.AST, optimizer: str, optimizers: OptimizerNames, resets) -> bool:
    """Does the loop reset the gradients this optimizer steps with (its own or a model's zero_grad)?"""
    for receiver, receiver_node, loops in resets:
        if id(loop) not in loops:
            continue
        if receiver is None or receiver == optimizer:
            return True
        if not optimizers.is_optimizer(receiver_node):  # model.zero_grad() clears every parameter
            return True
    return False


def zero_grad_insertion(model: ModuleModel, chunk: Chunk, step: ast.Call, training: ast.AST, name: str) -> dict:
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
def fix_missing_zero_grad(text: str, finding: Finding) -> Fix | None:
    from ...parse.chunks import split_lines

    edit = insertion_edit(split_lines(text), finding.data["insertion"], finding.data["anchor_text"])
    if edit is None:
        return None
    return Fix(f"Insert `{finding.data['optimizer']}.zero_grad()`", (edit,))
