"""ML2: data leakage. Test rows that shape the training make the evaluation lie.

Every rule here reads the module's lineage facts (core/lineage.py): which fits,
statistics, splits and uses happened to which rows, in program order.
"""

from __future__ import annotations

import ast
import re

from ..core.facts import enclosing_statement
from ..core.findings import Related, Severity
from ..core.lineage import lineage_of
from ..core.lineage_facts import FitEvent, StatisticEvent
from ..core.rules import Rule
from ..core.values import Data, covers, disjoint
from . import leakage_fixes

PRINCIPLE = "Reproducibility"
AREA = "Data Pipeline"
RED_FLAG = "data leakage in preprocessing"
TARGET_NAME = re.compile(r"^(y|Y)(_\w*)?$|^(targets?|labels?)(_\w*)?$|_(y|targets?|labels?)$")

FIT_BEFORE_SPLIT = Rule(
    code="ML201",
    name="fit-before-split",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A transformer (scaler, imputer, encoder, PCA, feature selector) is fitted on data that is "
    "split into train and test afterwards.",
    why="The fitted statistics (means, variances, vocabularies, selected features) were computed with the "
    "test rows, so the model is evaluated on data that already shaped its preprocessing. Scores come out "
    "better than they will be on new data, and nobody can reproduce them on a clean split.",
    bad="X_scaled = scaler.fit_transform(X)\n"
    "X_train, X_test, y_train, y_test = train_test_split(X_scaled, y)",
    good="X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
    "X_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)",
    fix_title="Move the fit after the split",
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

TARGET_IN_FEATURES = Rule(
    code="ML207",
    name="target-in-features",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="The target column is still among the features given to a fit or a split together with it.",
    why="A model that can read the answer from its input scores perfectly in evaluation and is useless "
    "in production, where the target is unknown. Remove the target column from the feature matrix.",
    bad='y = df["target"]\nmodel.fit(df.drop(columns=["id"]), y)',
    good='y = df["target"]\nmodel.fit(df.drop(columns=["id", "target"]), y)',
    fix_title='Drop the target column from the features',
)


# ----- shared questions ------------------------------------------------------------------


def text(model, chunk, node, limit: int = 40) -> str:
    source = model.text_of(chunk, node) or ast.unparse(node)
    source = " ".join(source.split())
    return source if len(source) <= limit else source[: limit - 3] + "..."


def where(model, chunk, node) -> str:
    """'at line 14', or in a notebook 'in cell 8, line 2'."""
    line = chunk.absolute_line(node.lineno)
    cell = model.cell_at(line)
    if cell is None:
        return f"at line {line}"
    return f"in cell {cell.index}, line {line - cell.first_line + 1}"


def receiver_text(model, fit: FitEvent) -> str:
    func = fit.node.func
    return text(model, fit.chunk, func.value) if isinstance(func, ast.Attribute) else "the transformer"


def data_text(model, fit: FitEvent) -> str:
    return text(model, fit.chunk, fit.data_node) if fit.data_node is not None else "the data"


def fits_target_alone(facts, fit: FitEvent) -> bool:
    """`LabelEncoder().fit_transform(y)`: fitting on the target vector alone is not a leak (ML201)."""
    if fit.y is not None:
        return False
    if fit.data.target:
        return True
    root = fit.data_node
    while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
        root = root.func if isinstance(root, ast.Call) else root.value
    if isinstance(root, ast.Name) and TARGET_NAME.search(root.id):
        return True
    column = fit.data.column
    return column is not None and (TARGET_NAME.search(column[1]) is not None or any(
        isinstance(use.y, Data) and use.y.column == column for use in facts.uses))


def leaky_fit(facts, event, *, exempt_encoders: bool = True) -> bool:
    """A transformer fit that learns statistics of its rows (RULES.md "Transformer")."""
    if not isinstance(event, FitEvent) or event.method not in ("fit", "fit_transform", "partial_fit"):
        return False
    obj = event.obj
    if obj.role != "transformer" or obj.stateless or (exempt_encoders and obj.exempt):
        return False
    return not fits_target_alone(facts, event)


def split_description(model, facts, split, data_node=None) -> str:
    """'split into `X_train`/`X_test` at line 14' (names of the split's outputs when known)."""
    place = where(model, split.chunk, split.node)
    if split.kind == "cv":
        return f"split into folds by `{text(model, split.chunk, split.node)}` {place}"
    names = output_names(facts, split, data_node)
    how = "split by hand" if split.kind == "hand" else "split"
    if names:
        return f"{how} into `{names[0]}`/`{names[1]}` {place}"
    return f"{how} {place}"


def argument_index(call: ast.Call, node) -> int:
    """The position of `node` among the call's arguments (0 if absent), indexed once per call:
    a split of thousands of arguments is asked once per argument."""
    positions = getattr(call, "_argument_positions", None)
    if positions is None:
        positions = {id(arg): i for i, arg in reversed(list(enumerate(call.args)))}
        call._argument_positions = positions
    return positions.get(id(node), 0)


def output_names(facts, split, data_node=None) -> list[str] | None:
    if split.kind == "random":
        stmt = getattr(split.node, "_parent", None)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Tuple):
            targets = stmt.targets[0].elts
            index = argument_index(split.node, data_node)
            if len(targets) >= 2 * index + 2:
                return [t.id if isinstance(t, ast.Name) else "?" for t in targets[2 * index: 2 * index + 2]]
        return None
    sides = {}
    for record in facts.inputs_of(split):
        if record.side is not None and record.side not in sides:
            sides[record.side] = assigned_name(record.node)
    if sides.get(0) and sides.get(1):
        return [sides[0], sides[1]]
    return None


def assigned_name(node) -> str | None:
    """The variable an expression is assigned to (through method chains such as `.copy()`)."""
    while True:
        parent = getattr(node, "_parent", None)
        if isinstance(parent, (ast.Attribute, ast.Call)) and (not isinstance(parent, ast.Call) or parent.func is node):
            node = parent
            continue
        if isinstance(parent, ast.Assign) and parent.value is node and isinstance(parent.targets[0], ast.Name):
            return parent.targets[0].id
        if isinstance(parent, ast.Tuple):
            grand = getattr(parent, "_parent", None)
            if isinstance(grand, ast.Assign) and isinstance(grand.targets[0], ast.Tuple) and \
                    len(grand.targets[0].elts) == len(parent.elts):
                target = grand.targets[0].elts[parent.elts.index(node)]
                return target.id if isinstance(target, ast.Name) else None
        return None


def is_training_split(split) -> bool:
    """`X_a_train, X_b_train, ... = train_test_split(X_train, ...)`: both sides are named training data
    (e.g. one half to fit a feature embedding, the other a model on top): no evaluation side."""
    if split.kind != "random":
        return False
    stmt = getattr(split.node, "_parent", None)
    if not (isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Tuple)):
        return False
    names = [t.id.lower() for t in stmt.targets[0].elts if isinstance(t, ast.Name)]
    second_sides = names[1::2]
    return bool(second_sides) and all("train" in name for name in second_sides)


def split_related(model, split, message: str) -> Related:
    return Related(model.span(split.chunk, split.node), message)


def leaks_into(facts, split):
    """(input record, evaluation rows) for every input of a confirmed split."""
    if facts.hand_split_sides(split) is None or is_training_split(split):
        return
    for record in facts.inputs_of(split):
        rows = facts.evaluation_rows(split, record.data)
        if rows:
            yield record, rows


def events_reaching_splits(facts, accept):
    """(event, split, input record) for events in the lineage of a split's input whose rows
    include the split's evaluation side, in program order of the events."""
    found = {}
    for split in facts.splits:
        for record, rows in leaks_into(facts, split):
            for event_id in record.data.taint:
                event = facts.events.get(event_id)
                if event is None or event.id in found or event.order > record.order or event.scope is not split.scope:
                    continue
                seen = event.data.rows if isinstance(event, FitEvent) else event.statistic.rows
                if accept(event) and covers(seen, rows):
                    found[event.id] = (event, split, record)
    return sorted(found.values(), key=lambda entry: entry[0].order)


def applied_to_split_side(facts, accept):
    """(event, split) for fits or statistics of a whole data set that reach data used after a split
    of it (e.g. `scaler.fit(X)`, split, `model.fit(scaler.transform(X_train))`)."""
    found = {}
    for use in facts.uses:
        for value in (use.data, *use.values):
            if not isinstance(value, Data):
                continue
            for event_id in value.taint:
                event = facts.events.get(event_id)
                if event is None or event.id in found or event.scope is not use.scope or not accept(event):
                    continue
                seen = event.data.rows if isinstance(event, FitEvent) else event.statistic.rows
                split = split_before(facts, value.rows, seen, event.order)
                if split is not None:
                    found[event.id] = (event, split)
    return sorted(found.values(), key=lambda entry: entry[0].order)


def split_before(facts, rows, seen, after_order):
    """A confirmed split made after `after_order` of rows that `seen` wholly contains."""
    for origin, path in rows:
        for index, (split_id, _) in enumerate(path):
            split = facts.split_by_id.get(split_id)
            if split is None or split.order < after_order or facts.hand_split_sides(split) is None or \
                    is_training_split(split):
                continue
            if covers(seen, frozenset({(origin, path[:index])})):
                return split
    return None


# ----- ML201 -------------------------------------------------------------------------------


@FIT_BEFORE_SPLIT.checker
def check_fit_before_split(model, rule):
    if not model.imports_any("sklearn", "category_encoders"):
        return
    facts = lineage_of(model)
    reported = set()
    candidates = [(event, split, record.node) for event, split, record in
                  events_reaching_splits(facts, lambda e: leaky_fit(facts, e))]
    candidates += [(event, split, None) for event, split in applied_to_split_side(facts, lambda e: leaky_fit(facts, e))]
    for fit, split, split_input in sorted(candidates, key=lambda entry: entry[0].order):
        if fit.id in reported:
            continue
        reported.add(fit.id)
        message = (f"`{receiver_text(model, fit)}` is fitted on `{data_text(model, fit)}`, whose rows are then "
                   f"{split_description(model, facts, split, split_input)}: the test rows leak into the fitted "
                   "statistics")
        finding = rule.finding(model, fit.node, message, chunk=fit.chunk,
                               **leakage_fixes.move_fit_data(model, facts, fit, split, split_input))
        finding.related.append(split_related(model, split, "the split: its test rows were already seen by the fit"))
        yield finding


# ----- ML202 -------------------------------------------------------------------------------


def test_side(facts, rows):
    """The split whose evaluation side holds every atom of `rows`, else None."""
    found = None
    for atom in rows:
        split = facts.is_evaluation_side(atom)
        if split is None or (found is not None and split is not found) or is_training_split(split):
            return None
        found = split
    return found


@FIT_ON_TEST_DATA.checker
def check_fit_on_test_data(model, rule):
    if not model.imports_any("sklearn", "imblearn", "category_encoders", "pandas", "numpy"):
        return
    facts = lineage_of(model)
    reported = set()
    for fit in facts.fits:
        obj = fit.obj
        if obj.role == "splitter" or obj.stateless or obj.heldout_fit:
            continue
        split = test_side(facts, fit.data.rows)
        if split is None or split.order > fit.order:
            continue
        reported.add(fit.id)
        message = (f"`{receiver_text(model, fit)}` is fitted on `{data_text(model, fit)}`, the test side of the "
                   f"split {where(model, split.chunk, split.node)}: transform test data with what was learned "
                   "on the training data")
        fixable = leakage_fixes.fit_transform_fixable(fit)
        finding = rule.finding(model, fit.node, message, chunk=fit.chunk, fixable=fixable)
        finding.related.append(split_related(model, split, "the split that made this test data"))
        yield finding
    yield from own_statistics(model, rule, facts)
    yield from refits_on_other_data(model, rule, facts, reported)


def own_statistics(model, rule, facts):
    """`X_test["a"].fillna(X_test["a"].mean())`: the test side imputed with its own statistic."""
    for event in facts.statistics:
        split = test_side(facts, event.data.rows)
        if split is None or split.order > event.order or test_side(facts, event.statistic.rows) is not split:
            continue
        message = (f"`{text(model, event.chunk, event.node)}` transforms test data with a statistic of the test "
                   "data itself: use the statistic of the training side")
        finding = rule.finding(model, event.node, message, chunk=event.chunk, fixable=False)
        finding.related.append(split_related(model, split, "the split that made this test data"))
        yield finding


def refits_on_other_data(model, rule, facts, reported):
    """A transformer fitted for a trained model, fitted again on other data that model then predicts."""
    for use in facts.uses:
        if use.kind != "evaluate" or use.obj is None or not isinstance(use.data, Data):
            continue
        trained_with = {event_id for fit_id in use.obj.fits
                        if isinstance(model_fit := facts.events.get(fit_id), FitEvent)
                        for event_id in model_fit.data.taint}
        for event_id in use.data.taint:
            refit = facts.events.get(event_id)
            if not isinstance(refit, FitEvent) or refit.id in reported or refit.obj.role != "transformer":
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
                                   fixable=leakage_fixes.fit_transform_fixable(refit, already_fitted=True))
            finding.related.append(Related(model.span(first.chunk, first.node), "the fit on the training data"))
            yield finding


@FIT_ON_TEST_DATA.fixer
def fix_fit_on_test_data(text_, finding):
    return leakage_fixes.fit_transform_to_transform(text_, finding)


# ----- ML203 -------------------------------------------------------------------------------


@PREPROCESSING_OUTSIDE_CV.checker
def check_preprocessing_outside_cv(model, rule):
    if not model.imports_any("sklearn", "category_encoders"):
        return
    facts = lineage_of(model)
    reported = set()
    for use in facts.uses:
        if use.kind != "cv" or not isinstance(use.data, Data):
            continue
        for event_id in sorted(use.data.taint):
            fit = facts.events.get(event_id)
            if fit is None or fit.id in reported or fit.scope is not use.scope or fit.order > use.order:
                continue
            if not leaky_fit(facts, fit) or not covers(fit.data.rows, use.data.rows):
                continue
            reported.add(fit.id)
            consumer = text(model, use.chunk, use.node.func)
            message = (f"`{receiver_text(model, fit)}` is fitted on `{data_text(model, fit)}` outside the "
                       f"cross-validation of `{consumer}` {where(model, use.chunk, use.node)}: every validation fold "
                       "shaped it; put it in a pipeline with the model")
            finding = rule.finding(model, fit.node, message, chunk=fit.chunk)
            finding.related.append(Related(model.span(use.chunk, use.node), "the cross-validation"))
            yield finding


# ----- ML204 -------------------------------------------------------------------------------


def resampled(facts, event) -> bool:
    return isinstance(event, FitEvent) and event.method == "fit_resample" and event.obj.role == "sampler"


@RESAMPLE_BEFORE_SPLIT.checker
def check_resample_before_split(model, rule):
    if not model.imports_any("imblearn"):
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
            description = f"cross-validated by `{text(model, use.chunk, use.node.func)}` {where(model, use.chunk, use.node)}"
            for value in (use.data, use.y):
                if isinstance(value, Data):
                    targets.append((use.order, use, value, description))
    reported = set()
    for order, consumer, value, description in sorted(targets, key=lambda t: t[0]):
        for event_id in sorted(value.taint):
            fit = facts.events.get(event_id)
            if not resampled(facts, fit) or fit.id in reported or fit.order > order or fit.scope is not consumer.scope:
                continue
            reported.add(fit.id)
            message = (f"`{receiver_text(model, fit)}` resamples `{data_text(model, fit)}` before it is {description}: "
                       "synthetic copies of test rows end up in training; resample inside "
                       "`imblearn.pipeline.make_pipeline` or on the training side only")
            finding = rule.finding(model, fit.node, message, chunk=fit.chunk)
            finding.related.append(Related(model.span(consumer.chunk, consumer.node), "where the resampled data is split"))
            yield finding


# ----- ML206 -------------------------------------------------------------------------------


@GLOBAL_STATISTICS.checker
def check_global_statistics(model, rule):
    if not model.imports_any("pandas", "numpy", "sklearn"):
        return
    facts = lineage_of(model)
    if not facts.statistics:
        return
    found = {}  # statement -> (event, finding): one finding per statement, on the outermost application
    accept = lambda e: isinstance(e, StatisticEvent) and not transforms_target(e)  # noqa: E731
    for event, split, record in events_reaching_splits(facts, accept):
        message = (f"`{text(model, event.chunk, event.node)}` uses a statistic of all rows, which are then "
                   f"{split_description(model, facts, split, record.node)}: the test rows shape the training "
                   "features; learn it on the training split (SimpleImputer, StandardScaler)")
        keep_outermost(found, event, lambda: statistic_finding(model, rule, event, split, message))
    for event, split in training_side_statistics(facts):
        if transforms_target(event):
            continue
        message = (f"`{text(model, event.chunk, event.node)}` transforms training data with a statistic that "
                   f"includes the test rows of the split {where(model, split.chunk, split.node)}: learn it on the "
                   "training split (SimpleImputer, StandardScaler)")
        keep_outermost(found, event, lambda: statistic_finding(model, rule, event, split, message))
    for _, finding in found.values():
        yield finding


def keep_outermost(found: dict, event, make_finding) -> None:
    """`(X - X.mean()) / X.std()` applies two statistics: report the statement once, on the outer one."""
    key = id(enclosing_statement(event.node))
    previous = found.get(key)
    if previous is None or previous[0].order < event.order and previous[0] is not event:
        found[key] = (event, make_finding())


def transforms_target(event) -> bool:
    """A statistic of the target applied to the target (`y - y.min()`): as for fits on y alone, not a finding."""
    if not event.data.target:
        root = event.node
        while isinstance(root, (ast.BinOp, ast.Call, ast.Attribute, ast.Subscript)):
            root = root.left if isinstance(root, ast.BinOp) else root.func if isinstance(root, ast.Call) else root.value
        if not (isinstance(root, ast.Name) and TARGET_NAME.search(root.id)):
            return False
    return True


def statistic_finding(model, rule, event, split, message):
    finding = rule.finding(model, event.node, message, chunk=event.chunk)
    finding.related.append(split_related(model, split, "the split whose test rows are in the statistic"))
    return finding


def training_side_statistics(facts):
    """`X_train["a"].fillna(df["a"].mean())`: the training side filled with a full-data statistic."""
    for event in facts.statistics:
        for origin, path in event.data.rows:
            found = facts.last_split((origin, path))
            if found is None:
                continue
            split, side = found
            sides = facts.hand_split_sides(split)
            if sides is None or side != sides[0] or split.order > event.order or is_training_split(split):
                continue
            index = [step[0] for step in path].index(split.id)
            if covers(event.statistic.rows, frozenset({(origin, path[:index])})):
                yield event, split
                break


# ----- ML207 -------------------------------------------------------------------------------


@TARGET_IN_FEATURES.checker
def check_target_in_features(model, rule):
    if not model.imports_any("pandas", "sklearn", "numpy"):
        return
    facts = lineage_of(model)
    candidates = []  # (order, call, chunk, X value, y value, X node)
    for use in facts.uses:
        if use.kind in ("train", "cv") and isinstance(use.data, Data) and isinstance(use.y, Data) and \
                isinstance(use.node, ast.Call):
            candidates.append((use.order, use.node, use.chunk, use.data, use.y, features_argument(use.node)))
    for split in facts.splits:
        if split.kind == "random":
            candidates.extend(split_candidates(split, facts.inputs_of(split)))
    picking_calls = column_picking_calls(facts)
    flagged = set()
    for _, node, chunk, x, y, x_node in sorted(candidates, key=lambda c: c[0]):
        if y.column is None or x.frame is None or x.column is not None or id(node) in picking_calls:
            continue
        frame_id, column = y.column
        if x.frame.ident != frame_id or not x.frame.has(column) or y.column in flagged:
            continue
        flagged.add(y.column)
        message = (f"the features given to `{text(model, chunk, node.func)}` still contain the target column "
                   f"\"{column}\": the model can read the answer; drop it from the features")
        data = leakage_fixes.drop_target_data(model, node, chunk, x, column, x_node)
        yield rule.finding(model, node, message, chunk=chunk, **data)


def split_candidates(split, records):
    """For each target column among a split's inputs, the first input table still holding it.

    Linear in the number of inputs (a split may take thousands): tables listing their
    columns are indexed by column, the others scanned past those that dropped it.
    """
    ordered = sorted(enumerate(records), key=lambda pair: (pair[1].order, pair[0]))
    by_column: dict[tuple, tuple] = {}  # (frame ident, column) -> (rank, record) of a table listing it
    open_tables: dict[int, list] = {}  # frame ident -> [(rank, record)] of tables minus some columns
    seen_frames = set()
    for rank, (_, x) in enumerate(ordered):
        frame = x.data.frame
        if frame is None or x.data.column is not None or frame in seen_frames:
            continue
        seen_frames.add(frame)
        if frame.only is not None:
            for column in frame.only:
                by_column.setdefault((frame.ident, column), (rank, x))
        else:
            open_tables.setdefault(frame.ident, []).append((rank, x))
    targets = {}
    for y in records:
        if y.data.column is not None:
            targets.setdefault(y.data.column, y)
    for key, y in targets.items():
        frame_id, column = key
        found = [pair for pair in (by_column.get(key), first_holding(open_tables.get(frame_id, ()), column)) if pair]
        if found:
            x = min(found, key=lambda pair: pair[0])[1]
            yield (x.order, split.node, split.chunk, x.data, y.data, x.node)


def first_holding(tables, column):
    for rank, x in tables:
        if column not in x.data.frame.excluded:
            return rank, x
    return None


def column_picking_calls(facts) -> set[int]:
    """Ids of calls fitting a model that picks its columns by name (a ColumnTransformer first):
    extra columns are ignored there."""
    return {id(use.node) for use in facts.uses if use.obj is not None and use.obj.selects_columns}


def features_argument(call: ast.Call) -> ast.AST | None:
    """X of `model.fit(X, y)` or of `cross_val_score(model, X, y)`."""
    position = 0 if isinstance(call.func, ast.Attribute) else 1
    for kw in call.keywords:
        if kw.arg == "X":
            return kw.value
    return call.args[position] if len(call.args) > position else None


@TARGET_IN_FEATURES.fixer
def fix_target_in_features(text_, finding):
    return leakage_fixes.drop_target(text_, finding)


@FIT_BEFORE_SPLIT.fixer
def fix_fit_before_split(text_, finding):
    return leakage_fixes.move_fit(text_, finding)


RULES = [
    FIT_BEFORE_SPLIT, FIT_ON_TEST_DATA, PREPROCESSING_OUTSIDE_CV, RESAMPLE_BEFORE_SPLIT, GLOBAL_STATISTICS,
    TARGET_IN_FEATURES,
]
