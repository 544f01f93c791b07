"""ML203 preprocessing-outside-cv."""

from __future__ import annotations

from collections.abc import Iterable

from ...lineage.values import Data, covers
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
    leaky_fit,
    receiver_text,
    related_at,
    text,
    via_related,
    where,
)

PREPROCESSING_OUTSIDE_CV = Rule(
    code="ML203",
    name="preprocessing-outside-cv",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A transformer fitted on the whole data set feeds its output to cross-validation.",
    why="Cross-validation refits the model per fold but not a transformer fitted beforehand: every "
    "validation fold was part of the data the transformer learned from, so the cross-validated score is "
    "optimistic. Put the transformer in a pipeline so it is refitted inside each fold.",
    bad="X_std = StandardScaler().fit_transform(X)\ncross_val_score(LogisticRegression(), X_std, y)",
    good="model = make_pipeline(StandardScaler(), LogisticRegression())\ncross_val_score(model, X, y)",
)


@PREPROCESSING_OUTSIDE_CV.checker
def check_preprocessing_outside_cv(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not imports_or_calls_helpers(model, "sklearn", "category_encoders"):
        return
    facts = lineage_of(model)
    reported = set()
    for use in facts.uses:
        if use.kind != "cv" or not isinstance(use.data, Data):
            continue
        for event_id in sorted(use.data.taint):
            fit = facts.events.get(event_id)
            if fit is None or fit.id in reported or fit.scope is not use.scope or fit.order > use.order or \
                    inside_one_call(fit, use):
                continue
            if not leaky_fit(facts, fit) or not covers(fit.data.rows, use.data.rows):
                continue
            reported.add(fit.id)
            consumer = text(model, use.chunk, use.node.func)
            message = (f"`{receiver_text(model, fit)}` is fitted on `{data_text(model, fit)}`{inside_helper(model, fit)} "
                       f"outside the cross-validation of `{consumer}` {where(model, use.chunk, use.node)}"
                       f"{inside_helper(model, use)}: every validation fold shaped it; put it in a pipeline with the model")
            chunk, node = anchor(fit)
            finding = rule.finding(model, node, message, chunk=chunk)
            finding.related += via_related(model, fit, "the fit")
            finding.related.append(related_at(model, use.chunk, use.node, "the cross-validation"))
            yield finding
