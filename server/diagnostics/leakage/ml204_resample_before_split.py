"""ML204 resample-before-split."""

from __future__ import annotations

from collections.abc import Iterable

from ...lineage.events import FitEvent, LineageFacts
from ...lineage.values import Data
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import (
    anchor,
    data_text,
    imports_or_calls_helpers,
    inside_helper,
    inside_one_call,
    receiver_text,
    related_at,
    split_description,
    text,
    via_related,
    where,
)

RESAMPLE_BEFORE_SPLIT = Rule(
    code="ML204",
    name="resample-before-split",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="Over- or under-sampling (`fit_resample`) happens before a split or cross-validation.",
    why="Oversamplers such as SMOTE create synthetic rows from neighbours: after a later split, copies "
    "and near-copies of test rows sit in the training set, and the test score measures memory rather "
    "than generalisation. Resample only the training side, e.g. with `imblearn.pipeline.make_pipeline`.",
    bad="X_res, y_res = SMOTE().fit_resample(X, y)\nX_train, X_test, y_train, y_test = "
    "train_test_split(X_res, y_res)",
    good="model = imblearn.pipeline.make_pipeline(SMOTE(), LogisticRegression())\n"
    "cross_val_score(model, X, y)",
)


def resampled(facts: LineageFacts, event) -> bool:
    return isinstance(event, FitEvent) and event.method == "fit_resample" and event.obj.role == "sampler"


@RESAMPLE_BEFORE_SPLIT.checker
def check_resample_before_split(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not imports_or_calls_helpers(model, "imblearn"):
        return
    facts = lineage_of(model)
    targets = []  # (order, node, chunk, values, description)
    for split in facts.splits:
        if facts.hand_split_sides(split) is None:
            continue
        for record in facts.inputs_of(split):
            targets.append((record.order, split, record.data, split_description(model, facts, split, record.node)))
    for use in facts.uses:
        if use.kind == "cv":
            description = (f"cross-validated by `{text(model, use.chunk, use.node.func)}` "
                           f"{where(model, use.chunk, use.node)}{inside_helper(model, use)}")
            for value in (use.data, use.y):
                if isinstance(value, Data):
                    targets.append((use.order, use, value, description))
    reported = set()
    for order, consumer, value, description in sorted(targets, key=lambda t: t[0]):
        for event_id in sorted(value.taint):
            fit = facts.events.get(event_id)
            if not resampled(facts, fit) or fit.id in reported or fit.order > order or \
                    fit.scope is not consumer.scope or inside_one_call(fit, consumer):
                continue
            reported.add(fit.id)
            message = (f"`{receiver_text(model, fit)}` resamples `{data_text(model, fit)}`{inside_helper(model, fit)} before "
                       f"it is {description}: synthetic copies of test rows end up in training; resample inside "
                       "`imblearn.pipeline.make_pipeline` or on the training side only")
            chunk, node = anchor(fit)
            finding = rule.finding(model, node, message, chunk=chunk)
            finding.related += via_related(model, fit, "the resampling")
            if consumer.via and not inside_one_call(fit, consumer):
                finding.related += via_related(model, consumer, "where the resampled data is split")
            else:
                finding.related.append(related_at(model, consumer.chunk, consumer.node,
                                                  "where the resampled data is split"))
            yield finding
