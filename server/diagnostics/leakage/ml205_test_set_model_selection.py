"""ML205 test-set-model-selection."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...facts.training_calls import ancestors_in_scope
from ...lineage.events import LineageFacts, UseEvent
from ...lineage.values import Data
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...parse.syntax import enclosing_scope, parent
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import held_out_split, in_other_file, related_at, split_related, text

TEST_SET_MODEL_SELECTION = Rule(
    code="ML205",
    name="test-set-model-selection",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="Inside a loop, candidate models (or hyper-parameters) are fitted and scored on the test "
    "side of a split, and the score chooses among them (compared, `max`, `argmax`, `sorted`): the test "
    "set picks the model.",
    why="Once the test score chooses among candidates, the best one is partly chosen for fitting the "
    "test set's noise, and its test score is an optimistic estimate: no untouched data is left to "
    "report. Select on a validation split or by cross-validation, and score the chosen model on the "
    "test set once.",
    bad="for k in range(1, 30):\n    knn = KNeighborsClassifier(k).fit(X_train, y_train)\n"
    "    scores[k] = knn.score(X_test, y_test)\nbest_k = max(scores, key=scores.get)",
    good="search = GridSearchCV(KNeighborsClassifier(), {\"n_neighbors\": range(1, 30)})\n"
    "search.fit(X_train, y_train)\nprint(search.score(X_test, y_test))",
)

LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCORING_METHODS = frozenset({"score", "evaluate"})
VALIDATION_WORDS = ("val", "dev", "holdout", "hold_out")
# Calls and methods that choose among scores.
CHOOSERS = frozenset({"max", "min", "sorted", "argmax", "argmin", "nanargmax", "nanargmin", "idxmax", "idxmin",
                      "nlargest", "nsmallest", "sort_values"})
COLLECTORS = frozenset({"append", "extend", "add", "insert", "update"})


@TEST_SET_MODEL_SELECTION.checker
def check_test_set_model_selection(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if not model.imports_any("sklearn", "xgboost", "lightgbm", "catboost", "keras", "tensorflow"):
        return
    facts = lineage_of(model)
    if not facts.splits:
        return
    reported_loops: set[int] = set()
    fits = [use for use in facts.uses if use.kind == "train" and isinstance(use.node, ast.Call)]
    for use in facts.uses:
        if use.kind != "evaluate" or not isinstance(use.node, ast.Call):
            continue
        loops = [node for node in ancestors_in_scope(use.node) if isinstance(node, LOOPS)]
        if not loops or in_other_file(model, use) or not is_scoring(model, use):
            continue
        split = test_split_scored(model, facts, use)
        if split is None:
            continue
        loop, fit = candidate_fit(fits, use, loops)
        if fit is None or id(loop) in reported_loops or not picks_by(model, use.node):
            continue
        reported_loops.add(id(loop))
        message = (f"`{text(model, use.chunk, use.node)}` scores models fitted in this loop on the test "
                   "data: the test set is choosing the model; select on a validation split or by "
                   "cross-validation and score the chosen model on the test set once")
        finding = rule.finding(model, use.node, message, chunk=use.chunk)
        finding.related.append(related_at(model, fit.chunk, fit.node, "the candidate fitted in the loop"))
        finding.related.append(split_related(model, split, "the split that made the test data"))
        yield finding


def is_scoring(model: ModuleModel, use: UseEvent) -> bool:
    """`model.score(...)`, Keras `evaluate`, or a `sklearn.metrics` function."""
    func = use.node.func
    if isinstance(func, ast.Attribute) and func.attr in SCORING_METHODS:
        return True
    return (model.call_name(use.node) or "").startswith("sklearn.metrics.")


def test_split_scored(model: ModuleModel, facts: LineageFacts, use: UseEvent):
    """The split whose test side the use scores on (not a fold of cross-validation, nor a validation split)."""
    for value in (use.data, *use.values):
        if not isinstance(value, Data) or not value.rows:
            continue
        split = held_out_split(facts, value.rows)
        if split is not None and not is_validation(facts, split, use):
            return split
    return None


def is_validation(facts: LineageFacts, split, use: UseEvent) -> bool:
    """A validation split: a split of training data (the test set is elsewhere), or named so."""
    for record in facts.inputs_of(split):
        if any(len(atom[1]) > 0 and facts.last_split(atom) is not None for atom in record.data.rows):
            return True
    arguments = " ".join(ast.unparse(arg).lower() for arg in (*use.node.args, *(kw.value for kw in use.node.keywords)))
    return any(word in arguments for word in VALIDATION_WORDS)


def candidate_fit(fits: list[UseEvent], use: UseEvent, loops: list) -> tuple:
    """(loop, fit): a model fitted in the same loop before the scoring, that is a new candidate on each
    iteration (built in the loop or taken from the loop's variable) on training data that is not."""
    for loop in loops:
        inside = {id(node) for node in ast.walk(loop)}
        for fit in fits:
            if id(fit.node) not in inside or fit.order > use.order or fit.scope is not use.scope:
                continue
            receiver = fit.node.func.value if isinstance(fit.node.func, ast.Attribute) else None
            if receiver is not None and (isinstance(receiver, ast.Call) or names_loop_bound(receiver, loop)) and \
                    not any(names_loop_bound(arg, loop) for arg in fit.node.args[:1]):
                return loop, fit
    return None, None


def names_loop_bound(expr: ast.AST, loop: ast.AST) -> bool:
    """Does `expr` name the loop's variable or a name (re)bound in its body: does it change from one
    iteration to the next? (A model built by a call in the loop is new on each iteration too.)"""
    names = {node.id for node in ast.walk(expr) if isinstance(node, ast.Name)}
    return bool(names & loop_bound_names(loop))


def loop_bound_names(loop: ast.AST) -> set[str]:
    cached = getattr(loop, "mlreview_bound_names", None)
    if cached is not None:
        return cached
    bound = set()
    targets = [loop.target] if isinstance(loop, (ast.For, ast.AsyncFor)) else \
        [generator.target for generator in getattr(loop, "generators", ())]
    for node in [*targets, *(n for n in ast.walk(loop) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign)))]:
        for target in (node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", node)]):
            bound.update(name.id for name in ast.walk(target) if isinstance(name, ast.Name))
    loop.mlreview_bound_names = bound
    return bound


def picks_by(model: ModuleModel, score: ast.Call) -> bool:
    """Is the score used to choose: compared, or passed to `max`/`argmax`/`sorted` (directly, through
    the variable it is stored in, or through the list or dict collecting it)? Printing or plotting
    test scores of several settings illustrates them; it picks nothing."""
    names = set()
    node, up = score, parent(score)
    while up is not None and not isinstance(up, ast.stmt):
        if chooses(up, node):
            return True
        if isinstance(up, ast.Call) and isinstance(up.func, ast.Attribute) and up.func.attr in COLLECTORS:
            names |= target_names(up.func.value)
        node, up = up, parent(up)
    if isinstance(up, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        for target in (up.targets if isinstance(up, ast.Assign) else [up.target]):
            names |= target_names(target)
    if not names:
        return False
    scope = enclosing_scope(score)
    for _, name_node in model.nodes(ast.Name):
        if name_node.id in names and isinstance(name_node.ctx, ast.Load) and enclosing_scope(name_node) is scope \
                and used_to_choose(name_node):
            return True
    return False


def used_to_choose(name_node: ast.Name) -> bool:
    node, up = name_node, parent(name_node)
    for _ in range(6):
        if up is None or isinstance(up, ast.stmt):
            return False
        if chooses(up, node):
            return True
        node, up = up, parent(up)
    return False


def chooses(up: ast.AST, node: ast.AST) -> bool:
    if isinstance(up, ast.Compare):
        return True
    if isinstance(up, ast.Attribute):  # `scores.idxmax()`
        return up.attr in CHOOSERS
    if isinstance(up, ast.Call):
        func = up.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        return called in CHOOSERS and (node in up.args or func is node or any(kw.value is node for kw in up.keywords))
    return False


def target_names(target: ast.AST) -> set[str]:
    """`best`, `scores[k]`, `results["a"]`: the variable a value is stored in."""
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(target_names(element) for element in target.elts))
    return set()
