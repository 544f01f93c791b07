"""ML3: training and evaluation. Training loops that silently train wrong, models evaluated in
training mode, and models that are fitted but never measured."""

from __future__ import annotations

import ast

from ..core.call_sites import attribute_nodes, called_names, keyword_calls
from ..core.calls import keyword as keyword_of
from ..core.facts import dotted_name, enclosing_statement, parent
from ..core.findings import Edit, Fix, Severity
from ..core.positions import Span, byte_to_char_col
from ..core.rules import Rule
from ..core.training_calls import ancestors_in_scope, first_training_call
from .torch_models import (
    LOOPS, OptimizerNames, TorchModels, loops_around, loops_with_backward, no_grad_item, walk_in_scope,
)

AREA = "Training & Evaluation"
TORCH_FAMILY = ("torch", "accelerate", "lightning", "pytorch_lightning", "transformers")

# ----- shared: inserting a statement (the ML301 and ML302 fixes) -------------------------------


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
    steps = list(model.method_calls("step"))
    if not steps:
        return
    with_backward = loops_with_backward(model)
    if not with_backward:
        return
    optimizers = OptimizerNames(model)
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


def gradient_resets(model) -> list[tuple[str | None, ast.AST | None, set[int]]]:
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

@MISSING_EVAL_MODE.checker
def check_missing_eval_mode(model, rule):
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
    models = TorchModels(model)
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


def models_missing_eval(models: TorchModels, chunk, calls: list[tuple[str, ast.Call]]) -> list[str]:
    """Models called in the block that were not put in eval mode before."""
    missing: list[str] = []
    for name, call in calls:
        if name in missing:
            continue
        binding = models.bindings.lookup(name, call, chunk)
        if binding is None or not models.is_model(name, binding):
            continue  # a parameter, an import, a helper function: not resolved
        if not models.eval_before(name, call, chunk, binding):
            missing.append(name)
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
        # ... unless it is a model built in another workspace file: `from models import net`.
        return model.external.is_module_instance(receiver)
    return not (isinstance(receiver, ast.Name) and receiver.id in local_classes)


@FORWARD_CALLED_DIRECTLY.checker
def check_forward_called_directly(model, rule):
    if not model.imports_any("torch"):
        return
    local_classes = None
    for chunk, call in model.method_calls("forward"):
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


# ----- evaluation evidence (ML306, ML307: server/diagnostics/project/) -----------------------

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
    if any(True for _ in model.method_calls("score", "evaluate")):
        return True
    if any(keyword_of(call, "metrics") for _, call in model.method_calls("compile")):
        return True  # Keras `model.compile(metrics=[...])`
    if keyword_calls(model, *EVALUATION_KEYWORDS):
        return True
    return uses_sklearn_metric(model) or evaluates_by_hand(model)


def uses_sklearn_metric(model) -> bool:
    """A sklearn metric used as a value: `make_scorer`-free scorers, `for metric in [f1_score, ...]`."""
    aliases = {fact.alias for fact in model.import_facts
               if fact.qualname == "sklearn.metrics" or fact.qualname.startswith("sklearn.metrics.")}
    return bool(aliases) and any(node.id in aliases for _, node in model.nodes(ast.Name))


# An estimator's own held-out or cross-validated measure of its error.
EVALUATION_ATTRIBUTES = frozenset({"oob_score_", "cv_results_", "best_score_", "mse_path_", "cv_values_", "error_norm"})
AGGREGATES = frozenset({"mean", "sum", "average", "count_nonzero", "size", "item"})


def evaluates_by_hand(model) -> bool:
    """A refinement of the RULES.md list (it only silences ML306): evaluation written out by
    hand, `np.mean(y_pred == y_test)`, `pred.eq(target).sum()`, `y_pred[y_pred == -1].size`,
    `(y_test - y_pred) ** 2`, an `accuracy(...)` helper, or a measure read from the estimator
    (`clf.oob_score_`, `cov.error_norm(true_cov)`, `search.cv_results_`)."""
    if attribute_nodes(model, *EVALUATION_ATTRIBUTES):
        return True
    for _, compare in model.nodes(ast.Compare):
        if len(compare.ops) == 1 and isinstance(compare.ops[0], (ast.Eq, ast.NotEq)) \
                and any(is_prediction(side) for side in (compare.left, compare.comparators[0])) \
                and is_aggregated(compare):
            return True
    for _, difference in model.nodes(ast.BinOp):  # `(y_test - y_pred) ** 2`, `np.abs(pred - y).mean()`
        if isinstance(difference.op, ast.Sub) and any(is_prediction(side) for side in (difference.left, difference.right)) \
                and (is_squared_or_absolute(difference) or is_aggregated(difference)):
            return True
    if any("accuracy" in name.lower() for name in called_names(model)):
        return True  # `accuracy(...)`, `evaluate_accuracy(net, loader)`
    return any(is_prediction(call.func.value) and is_aggregated(call) for _, call in model.method_calls("eq"))


def is_squared_or_absolute(node: ast.AST) -> bool:
    up = parent(node)
    if isinstance(up, ast.BinOp) and isinstance(up.op, ast.Pow) and up.left is node:
        return True
    return isinstance(up, ast.Call) and getattr(up.func, "attr", getattr(up.func, "id", "")) in ("abs", "square", "fabs")


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


RULES = [MISSING_ZERO_GRAD, MISSING_EVAL_MODE, FORWARD_CALLED_DIRECTLY]
