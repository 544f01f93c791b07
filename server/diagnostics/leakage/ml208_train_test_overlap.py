"""ML208 train-test-overlap."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...lineage.events import FitEvent, LineageFacts, UseEvent
from ...lineage.values import Data, atom_within, covers
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import data_text, held_out_split, in_other_file, receiver_text, related_at, split_related, text, where

TRAIN_TEST_OVERLAP = Rule(
    code="ML208",
    name="train-test-overlap",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A model fitted on the full data is evaluated on a test split taken from that same data.",
    why="The model has already seen every test row while it was fitted, so its test score measures "
    "memory, not generalisation: the number reported (and any decision based on it) is too optimistic. "
    "Fit on the training side only, and refit on all the data only after the evaluation is done.",
    bad="model.fit(X, y)\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
    "print(model.score(X_test, y_test))",
    good="X_train, X_test, y_train, y_test = train_test_split(X, y)\nmodel.fit(X_train, y_train)\n"
    "print(model.score(X_test, y_test))",
)


@TRAIN_TEST_OVERLAP.checker
def check_train_test_overlap(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any("sklearn", "xgboost", "lightgbm", "catboost", "keras", "tensorflow"):
        return
    facts = lineage_of(model)
    for use in facts.uses:
        if use.kind != "evaluate" or use.obj is None or not use.obj.predicts or not isinstance(use.data, Data) \
                or in_other_file(model, use):
            continue
        found = overlap(facts, use)
        if found is None:
            continue
        fit, split = found
        message = (f"`{receiver_text(model, fit)}` was fitted on `{data_text(model, fit)}` "
                   f"{where(model, fit.chunk, fit.node)}, which includes the test rows it is evaluated on "
                   f"here (`{text(model, use.chunk, use.node)}`): fit on the training side of the split only")
        finding = rule.finding(model, use.node, message, chunk=use.chunk)
        finding.related.append(related_at(model, fit.chunk, fit.node, "the fit on the full data"))
        finding.related.append(split_related(model, split, "the split that made the test data"))
        yield finding


def overlap(facts: LineageFacts, use: UseEvent) -> tuple[FitEvent, object] | None:
    """(fit, split) when every fit that may have trained the evaluated model saw the evaluated test
    rows and more (a fit on the test side alone is ML202's)."""
    split = held_out_split(facts, use.data.rows)
    if split is None:
        return None
    fits = [facts.events.get(fit_id) for fit_id in sorted(use.obj.fits)]
    if not fits or use.obj.maybe_unfitted or not all(isinstance(fit, FitEvent) for fit in fits):
        return None
    for fit in fits:
        if fit.order > use.order or fit.scope is not use.scope:
            return None
        if not covers(fit.data.rows, use.data.rows) or within(fit.data.rows, use.data.rows):
            return None
        if not fitted_on_split_input(facts, fit, split):
            return None
    return fits[-1], split


def fitted_on_split_input(facts: LineageFacts, fit: FitEvent, split) -> bool:
    """The fit names the very data the split cuts (`fit(X, y)`, `train_test_split(X, y)`), or a
    concatenation of its sides. Row sets alone over-approximate: `X[600:1000]` counts as all of X."""
    if fit.data.parts is not None:
        return True
    root = root_name(fit.data_node)
    return root is not None and any(root_name(record.node) == root for record in facts.inputs_of(split))


def root_name(node) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def within(rows, container) -> bool:
    """Every atom of `rows` lies inside `container`."""
    return all(any(atom_within(atom, c) for c in container) for atom in rows)
