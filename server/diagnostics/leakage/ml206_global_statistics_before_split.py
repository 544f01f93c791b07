"""ML206 global-statistics-before-split."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...lineage.events import LineageFacts, StatisticEvent
from ...lineage.values import Data, covers
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...parse.syntax import enclosing_statement
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import (
    TARGET_NAME,
    anchor,
    events_reaching_splits,
    imports_or_calls_helpers,
    inside_helper,
    inside_one_call,
    is_training_split,
    leak_related,
    split_description,
    text,
    where,
)

GLOBAL_STATISTICS = Rule(
    code="ML206",
    name="global-statistics-before-split",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A statistic (mean, median, std, min, max, quantile, mode) of data that still contains the "
    "test rows is used to transform training data.",
    why="Filling or scaling with a statistic of all rows lets the test rows shape the training features, "
    "just like a scaler fitted before the split. Learn the statistic on the training split (for example "
    "with SimpleImputer or StandardScaler fitted on it) and apply it to both sides.",
    bad="df = df.fillna(df.mean())\ntrain, test = train_test_split(df)",
    good="train, test = train_test_split(df)\nimputer = SimpleImputer().fit(train)\n"
    "train, test = imputer.transform(train), imputer.transform(test)",
)


@GLOBAL_STATISTICS.checker
def check_global_statistics(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not imports_or_calls_helpers(model, "pandas", "numpy", "sklearn"):
        return
    facts = lineage_of(model)
    if not facts.statistics:
        return
    found = {}  # statement -> (event, finding): one finding per statement, on the outermost application
    accept = lambda e: isinstance(e, StatisticEvent) and not transforms_target(facts, e)  # noqa: E731
    for event, split, record in events_reaching_splits(facts, accept):
        message = (f"`{text(model, event.chunk, event.node)}`{inside_helper(model, event)} uses a statistic of all rows, "
                   "which are then "
                   f"{split_description(model, facts, split, record.node)}: the test rows shape the training "
                   "features; learn it on the training split (SimpleImputer, StandardScaler)")
        keep_outermost(found, event, lambda: statistic_finding(model, rule, event, split, message))
    for event, split in training_side_statistics(facts):
        if transforms_target(facts, event):
            continue
        message = (f"`{text(model, event.chunk, event.node)}`{inside_helper(model, event)} transforms training data with "
                   "a statistic that "
                   f"includes the test rows of the split {where(model, split.chunk, split.node)}: learn it on the "
                   "training split (SimpleImputer, StandardScaler)")
        keep_outermost(found, event, lambda: statistic_finding(model, rule, event, split, message))
    for _, finding in found.values():
        yield finding


def keep_outermost(found: dict, event, make_finding) -> None:
    """`(X - X.mean()) / X.std()` applies two statistics: report the statement once, on the outer one."""
    key = id(enclosing_statement(anchor(event)[1]))
    previous = found.get(key)
    if previous is None or previous[0].order < event.order and previous[0] is not event:
        found[key] = (event, make_finding())


def transforms_target(facts: LineageFacts, event) -> bool:
    """A statistic of the target applied to the target (`y - y.min()`, or the column later given as
    `y`): as for fits on y alone, not a finding."""
    column = event.data.column
    if column is not None and any(isinstance(use.y, Data) and same_column(use.y.column, column) for use in facts.uses):
        return True
    if not event.data.target:
        root = event.node
        while isinstance(root, (ast.BinOp, ast.Call, ast.Attribute, ast.Subscript)):
            root = root.left if isinstance(root, ast.BinOp) else root.func if isinstance(root, ast.Call) else root.value
        if not (isinstance(root, ast.Name) and TARGET_NAME.search(root.id)):
            return False
    return True


def same_column(first, second) -> bool:
    """The same column, by name when either table's columns are unknown."""
    if first is None or second is None or first[1] != second[1]:
        return False
    return first[0] == second[0] or None in (first[0], second[0])


def statistic_finding(model: ModuleModel, rule: Rule, event, split, message):
    chunk, node = anchor(event)
    finding = rule.finding(model, node, message, chunk=chunk)
    finding.related += leak_related(model, event, split, "the statistic", "the split whose test rows are in the statistic")
    return finding


def training_side_statistics(facts: LineageFacts):
    """`X_train["a"].fillna(df["a"].mean())`: the training side filled with a full-data statistic."""
    for event in facts.statistics:
        for origin, path in event.data.rows:
            found = facts.last_split((origin, path))
            if found is None:
                continue
            split, side = found
            sides = facts.hand_split_sides(split)
            if sides is None or side != sides[0] or split.order > event.order or is_training_split(split) or \
                    inside_one_call(event, split):
                continue
            index = [step[0] for step in path].index(split.id)
            if covers(event.statistic.rows, frozenset({(origin, path[:index])})):
                yield event, split
                break
