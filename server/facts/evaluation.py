"""Evaluation evidence in one file (RULES.md ML306): read by the project facts for ML306 and ML307."""

from __future__ import annotations

import ast
import re

from ..model.call_sites import attribute_nodes, called_names, keyword_calls
from ..model.calls import keyword as keyword_of
from ..model.module_model import ModuleModel
from ..parse.syntax import ancestors, parent
from .torch_models import no_grad_item

CV_EVALUATIONS = frozenset({
    "sklearn.model_selection.cross_val_score", "sklearn.model_selection.cross_validate",
    "sklearn.model_selection.cross_val_predict",
    # Refinement: these score the model on held-out folds or data too.
    "sklearn.model_selection.learning_curve", "sklearn.model_selection.validation_curve",
    "sklearn.model_selection.permutation_test_score", "sklearn.model_selection.LearningCurveDisplay",
    "sklearn.model_selection.ValidationCurveDisplay", "sklearn.calibration.calibration_curve",
    "sklearn.calibration.CalibrationDisplay",
})
# Hugging Face `evaluate`'s entry points only: a project's own evaluate.py is not that library.
HF_EVALUATE = frozenset({"evaluate.load", "evaluate.combine", "evaluate.evaluator"})
EVALUATION_KEYWORDS = frozenset({"validation_data", "validation_split", "eval_set", "compute_metrics"})


def evaluates_anywhere(model: ModuleModel) -> bool:
    """Any evaluation of RULES.md ML306 in the file."""
    if model.imports_any("torchmetrics"):
        return True
    for _ in model.calls_matching(is_evaluation_function):
        return True
    if any(True for _ in model.method_calls("score", "evaluate")):
        return True
    if any(keyword_of(call, "metrics") for _, call in model.method_calls("compile")):
        return True  # Keras `model.compile(metrics=[...])`
    if keyword_calls(model, *EVALUATION_KEYWORDS) or any(True for _ in model.method_calls("bic", "aic")):
        return True
    return uses_sklearn_metric(model) or evaluates_by_hand(model) or validates_without_grad(model)


def uses_sklearn_metric(model: ModuleModel) -> bool:
    """A sklearn metric used as a value: `make_scorer`-free scorers, `for metric in [f1_score, ...]`."""
    aliases = {fact.alias for fact in model.import_facts
               if fact.qualname == "sklearn.metrics" or fact.qualname.startswith("sklearn.metrics.")}
    return bool(aliases) and any(node.id in aliases for _, node in model.nodes(ast.Name))


# An estimator's own held-out or cross-validated measure of its error.
EVALUATION_ATTRIBUTES = frozenset({"oob_score_", "cv_results_", "best_score_", "mse_path_", "cv_values_", "error_norm",
                                   "inertia_", "criterion_"})
HELD_OUT = re.compile(r"val|test|eval|dev|holdout", re.IGNORECASE)
VALIDATION_HOOKS = frozenset({"validation_step", "test_step"})


def validates_without_grad(model: ModuleModel) -> bool:
    """A hand-written validation loop: held-out data (`val_loader`, `x_test`) run under
    `no_grad()`/`inference_mode()`, or Lightning's `validation_step`/`test_step`."""
    if any(fn.name in VALIDATION_HOOKS for _, fn in model.nodes(ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    for _, block in model.nodes(ast.With, ast.AsyncWith):
        if no_grad_item(model, block) is None:
            continue
        loops = [node.iter for node in ancestors(block) if isinstance(node, (ast.For, ast.AsyncFor))]
        if any(isinstance(name, ast.Name) and HELD_OUT.search(name.id)
               for part in [*block.body, *loops] for name in ast.walk(part)):
            return True
    return False
AGGREGATES = frozenset({"mean", "sum", "average", "count_nonzero", "size", "item"})


def evaluates_by_hand(model: ModuleModel) -> bool:
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
            or qualname.endswith("SearchCV") or qualname in HF_EVALUATE)
