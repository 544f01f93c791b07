"""ML305 train-only-evaluation."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...lineage.events import FitEvent, LineageFacts, UseEvent
from ...lineage.values import Data, atom_within
from ...lineage.walker import lineage_of
from ...model.call_sites import attribute_nodes, keyword_calls
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Related, Severity
from ...rules.rule import Rule
from . import AREA

TRAIN_ONLY_EVALUATION = Rule(
    code="ML305",
    name="train-only-evaluation",
    severity=Severity.WARNING,
    principle="Explainability",
    area=AREA,
    red_flag="missing evaluation metrics",
    summary="A fitted model is scored only on the data it was trained on; nothing in the file "
    "evaluates it on held-out data or by cross-validation.",
    why="A score on the training data says how well the model memorised it, not how it will do on "
    "new data: a deep tree scores 100% there whatever it learned. Without a held-out or "
    "cross-validated score nobody can tell whether the model generalises.",
    bad="model.fit(X, y)\nprint(model.score(X, y))",
    good="X_train, X_test, y_train, y_test = train_test_split(X, y)\nmodel.fit(X_train, y_train)\n"
    "print(model.score(X_test, y_test))",
)

SCORING_METHODS = frozenset({"score", "evaluate"})
# Metrics of a clustering or of distances: computed on the training data by design.
UNSUPERVISED_METRICS = ("silhouette", "calinski_harabasz", "davies_bouldin", "pairwise", "make_scorer",
                        "get_scorer", "check_scoring")
HELD_OUT_KEYWORDS = ("validation_data", "validation_split", "eval_set", "oob_score", "early_stopping")
HELD_OUT_ATTRIBUTES = ("oob_score_", "best_score_", "cv_results_")


@TRAIN_ONLY_EVALUATION.checker
def check_train_only_evaluation(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if not model.imports_any("sklearn", "xgboost", "lightgbm", "catboost", "keras", "tensorflow"):
        return
    facts = lineage_of(model)
    if facts.splits or any(use.kind == "cv" for use in facts.uses):
        return  # a split or a cross-validation: some held-out evaluation is meant
    trained = [use for use in facts.uses if use.kind == "train" and supervised(use) and isinstance(use.data, Data)]
    if not trained or any(use.obj is not None and use.obj.qualname.endswith("CV") for use in trained):
        return  # nothing supervised trained, or an estimator with built-in cross-validation
    training_rows = frozenset().union(*(use.data.rows for use in trained))
    scored = []
    for use in facts.uses:
        if use.kind != "evaluate":
            continue
        if not on_rows(use, training_rows):
            return  # something is predicted or scored on other data
        if is_scoring(model, use):
            scored.append(use)
    if not scored or keyword_calls(model, *HELD_OUT_KEYWORDS) or attribute_nodes(model, *HELD_OUT_ATTRIBUTES):
        return
    first = scored[0]
    if facts.home_of(first.chunk) is not None:
        return  # scored inside a function of another file: that file's own analysis is where to say it
    message = (f"`{model.text_of(first.chunk, first.node.func)}` scores the model on the data it was trained "
               "on, and nothing in this file evaluates it on held-out data or by cross-validation: "
               "a training score does not show how the model generalises")
    finding = rule.finding(model, first.node, message, chunk=first.chunk)
    fit = training_fit(facts, first)
    if fit is not None and facts.home_of(fit.chunk) is None:
        finding.related.append(Related(model.span(fit.chunk, fit.node), "the fit on the same data"))
    yield finding


def supervised(use: UseEvent) -> bool:
    """A fit given a target (`fit(X, y)`), not a clustering or a torch loop."""
    call = use.node
    return isinstance(call, ast.Call) and (len(call.args) > 1 or any(kw.arg == "y" for kw in call.keywords))


def on_rows(use: UseEvent, rows) -> bool:
    """Every data value of the use lies inside `rows` (and there is one)."""
    values = [value for value in (use.data, *use.values) if isinstance(value, Data)]
    return bool(values) and all(any(atom_within(atom, own) for own in rows) for value in values for atom in value.rows)


def is_scoring(model: ModuleModel, use: UseEvent) -> bool:
    func = use.node.func
    if use.obj is not None:
        return getattr(func, "attr", None) in SCORING_METHODS
    name = model.call_name(use.node) or ""
    return name.startswith("sklearn.metrics.") and not any(part in name for part in UNSUPERVISED_METRICS)


def training_fit(facts: LineageFacts, use: UseEvent) -> FitEvent | None:
    if use.obj is None:
        return None
    fits = [facts.events.get(fit_id) for fit_id in sorted(use.obj.fits)]
    return next((fit for fit in fits if isinstance(fit, FitEvent)), None)
