"""ML202 fit-on-test-data."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...lineage.events import FitEvent, LineageFacts
from ...lineage.values import Data, disjoint
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import (
    anchor,
    data_text,
    imports_or_calls_helpers,
    in_other_file,
    inside_helper,
    is_training_split,
    receiver_text,
    related_at,
    split_related,
    text,
    via_related,
    where,
)

FIT_ON_TEST_DATA = Rule(
    code="ML202",
    name="fit-on-test-data",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A transformer, sampler or model is fitted on the test (or validation) side of a split, or "
    "the test side is transformed with its own statistics.",
    why="Test data must be transformed with what was learned on the training data only. Fitting on it "
    "(or imputing it with its own mean) gives the test rows a different preprocessing than the model was "
    "trained with, and lets them influence the evaluation that is supposed to judge the model.",
    bad="X_train = scaler.fit_transform(X_train)\nX_test = scaler.fit_transform(X_test)",
    good="X_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)",
    fix_title="Use transform on the test data",
)


def test_side(facts: LineageFacts, rows):
    """The split whose evaluation side holds every atom of `rows`, else None."""
    found = None
    for atom in rows:
        split = facts.is_evaluation_side(atom)
        if split is None or (found is not None and split is not found) or is_training_split(split):
            return None
        found = split
    return found


# Embeddings without `transform`: fitting one on validation data draws a picture of it, and
# nothing learned there can reach a model.
EMBEDDINGS_WITHOUT_TRANSFORM = frozenset({"TSNE", "MDS", "SpectralEmbedding"})
PLOT_COORDINATE_SOURCES = ("sklearn.manifold.", "sklearn.decomposition.", "umap.")
MIN_MAX = frozenset({"min", "max", "amin", "amax", "nanmin", "nanmax", "ptp"})


@FIT_ON_TEST_DATA.checker
def check_fit_on_test_data(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not imports_or_calls_helpers(model, "sklearn", "imblearn", "category_encoders", "pandas", "numpy"):
        return
    findings = list(fit_on_test_findings(model, rule))
    reported: set = set()
    for finding in findings:
        # One expression may hold several events (`(X - X.mean()) / X.std()`): report the outermost.
        if finding.span not in reported and not any(
                other.span != finding.span and inside(finding.span, other.span) for other in findings):
            reported.add(finding.span)
            yield finding


def inside(span, outer) -> bool:
    starts_within = (outer.line, outer.col) <= (span.line, span.col)
    return starts_within and (span.end_line, span.end_col) <= (outer.end_line, outer.end_col)


def fit_on_test_findings(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    facts = lineage_of(model)
    reported = set()
    for fit in facts.fits:
        obj = fit.obj
        # Category-only encoders learn no statistic of the rows (as for ML201/ML203): re-coding ids of a
        # sample taken with a splitter's "test" side is not test data shaping anything.
        if obj.role == "splitter" or obj.stateless or obj.exempt or obj.heldout_fit or \
                is_embedding_without_transform(obj):
            continue
        split = test_side(facts, fit.data.rows)
        if split is None or split.order > fit.order or swaps_roles(facts, fit, split):
            continue
        reported.add(fit.id)
        message = (f"`{receiver_text(model, fit)}` is fitted on `{data_text(model, fit)}`{inside_helper(model, fit)}, the "
                   f"test side of the split {where(model, split.chunk, split.node)}: transform test data with what "
                   "was learned on the training data")
        fixable = fit_transform_fixable(fit) and not fit.via
        chunk, node = anchor(fit)
        finding = rule.finding(model, node, message, chunk=chunk, fixable=fixable)
        finding.related += via_related(model, fit, "the fit")
        finding.related.append(split_related(model, split, "the split that made this test data"))
        yield finding
    yield from own_statistics(model, rule, facts)
    yield from refits_on_other_data(model, rule, facts, reported)


def swaps_roles(facts: LineageFacts, fit, split) -> bool:
    """Two-fold cross-validation by hand: what is fitted on the test side then predicts the
    training side (`model.fit(X2, y2).predict(X1)`), so the halves only swap roles."""
    sides = facts.hand_split_sides(split)
    if sides is None:
        return False
    return any(use.kind == "evaluate" and use.obj is not None and use.obj.ident == fit.obj.ident
               and use.order > fit.order and isinstance(use.data, Data)
               and facts.sides_of(split, use.data.rows) == {sides[0]} for use in facts.uses)


def own_statistics(model: ModuleModel, rule: Rule, facts: LineageFacts):
    """`X_test["a"].fillna(X_test["a"].mean())`: the test side imputed with its own statistic."""
    for event in facts.statistics:
        split = test_side(facts, event.data.rows)
        if split is None or split.order > event.order or test_side(facts, event.statistic.rows) is not split:
            continue
        if rescales_plot_coordinates(model, facts, event):
            continue
        message = (f"`{text(model, event.chunk, event.node)}`{inside_helper(model, event)} transforms test data with a "
                   "statistic of the test data itself: use the statistic of the training side")
        chunk, node = anchor(event)
        finding = rule.finding(model, node, message, chunk=chunk, fixable=False)
        finding.related += via_related(model, event, "the statistic")
        finding.related.append(split_related(model, split, "the split that made this test data"))
        yield finding


def is_embedding_without_transform(obj) -> bool:
    module, _, short = obj.qualname.rpartition(".")
    return module.startswith("sklearn.manifold") and short in EMBEDDINGS_WITHOUT_TRANSFORM


def rescales_plot_coordinates(model: ModuleModel, facts: LineageFacts, event) -> bool:
    """`(emb - emb.min(0)) / (emb.max(0) - emb.min(0))` of an embedding's output: scaling a
    picture into the unit square, not preprocessing for a model."""
    statistics = [node for node in ast.walk(event.node) if isinstance(node, ast.Call)
                  and (model.call_name(node) or getattr(node.func, "attr", "")).rsplit(".", 1)[-1] in MIN_MAX]
    if not statistics or any(isinstance(node, ast.Call) and is_other_statistic(model, node)
                             for node in ast.walk(event.node)):
        return False
    return any(isinstance(fit := facts.events.get(event_id), FitEvent)
               and fit.obj.qualname.startswith(PLOT_COORDINATE_SOURCES) for event_id in event.data.taint)


def is_other_statistic(model: ModuleModel, call: ast.Call) -> bool:
    from ...lineage.mlapi import NUMPY_STATISTICS, STATISTIC_METHODS

    name = (model.call_name(call) or getattr(call.func, "attr", "")).rsplit(".", 1)[-1]
    return name in (STATISTIC_METHODS | NUMPY_STATISTICS) and name not in MIN_MAX


def refits_on_other_data(model: ModuleModel, rule: Rule, facts: LineageFacts, reported):
    """A transformer fitted for a trained model, fitted again on other data that model then predicts."""
    for use in facts.uses:
        if use.kind != "evaluate" or use.obj is None or not isinstance(use.data, Data):
            continue
        trained_with = {event_id for fit_id in use.obj.fits
                        if isinstance(model_fit := facts.events.get(fit_id), FitEvent)
                        for event_id in model_fit.data.taint}
        for event_id in use.data.taint:
            refit = facts.events.get(event_id)
            if not isinstance(refit, FitEvent) or refit.id in reported or refit.obj.role != "transformer" \
                    or refit.obj.stateless or in_other_file(model, refit):
                continue
            first = next((facts.events[i] for i in sorted(trained_with) if isinstance(facts.events.get(i), FitEvent)
                          and facts.events[i].obj.ident == refit.obj.ident and facts.events[i].order < refit.order
                          and facts.events[i].node is not refit.node), None)
            if first is None or not disjoint(first.data.rows, refit.data.rows):
                continue
            reported.add(refit.id)
            message = (f"`{receiver_text(model, refit)}` was fitted on the training data "
                       f"{where(model, first.chunk, first.node)} and is fitted again on `{data_text(model, refit)}`, "
                       "which the model then predicts: transform it with the training fit instead")
            finding = rule.finding(model, refit.node, message, chunk=refit.chunk,
                                   fixable=fit_transform_fixable(refit, already_fitted=True))
            finding.related.append(related_at(model, first.chunk, first.node, "the fit on the training data"))
            yield finding


def fit_transform_fixable(fit, already_fitted: bool = False) -> bool:
    """`T.fit_transform(X_test)` -> `T.transform(X_test)` works only if T was fitted before."""
    fitted = already_fitted or (fit.obj.fits and not fit.obj.maybe_unfitted)
    return bool(fit.method == "fit_transform" and fit.obj.role == "transformer" and fitted
                and isinstance(fit.node.func, ast.Attribute) and isinstance(fit.node.func.value, ast.Name))


@FIT_ON_TEST_DATA.fixer
def fit_transform_to_transform(text: str, finding: Finding) -> Fix | None:
    import libcst as cst

    from ...fixes.cst import StatementPatch

    patch = StatementPatch(text, *finding.data["statement"])
    call = patch.node_at(finding.span, cst.Call)
    if call is None or not isinstance(call.func, cst.Attribute) or call.func.attr.value != "fit_transform":
        return None
    new = call.with_changes(func=call.func.with_changes(attr=cst.Name("transform")))
    return Fix("Use `transform` (the training fit) on the test data", (patch.replace(call, new),))
