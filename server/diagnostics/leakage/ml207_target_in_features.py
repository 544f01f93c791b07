"""ML207 target-in-features."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable

from ...lineage.events import LineageFacts
from ...lineage.values import Data
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule, statement_lines
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import (
    NOT_FIXABLE,
    anchor,
    home_of,
    imports_or_calls_helpers,
    inside_helper,
    span_list,
    text,
    via_related,
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


@TARGET_IN_FEATURES.checker
def check_target_in_features(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not imports_or_calls_helpers(model, "pandas", "sklearn", "numpy"):
        return
    facts = lineage_of(model)
    candidates = []  # (order, the use or split, X value, y value, X node)
    for use in facts.uses:
        if use.kind in ("train", "cv") and isinstance(use.data, Data) and isinstance(use.y, Data) and \
                isinstance(use.node, ast.Call):
            candidates.append((use.order, use, use.data, use.y, features_argument(use.node)))
    for split in facts.splits:
        if split.kind == "random":
            candidates.extend(split_candidates(split, facts.inputs_of(split)))
    picking_calls = column_picking_calls(facts)
    flagged = set()
    for _, event, x, y, x_node in sorted(candidates, key=lambda c: c[0]):
        node, chunk = event.node, event.chunk
        if y.column is None or x.frame is None or x.column is not None or id(node) in picking_calls:
            continue
        frame_id, column = y.column
        if x.frame.ident != frame_id or not x.frame.has(column) or y.column in flagged:
            continue
        flagged.add(y.column)
        message = (f"the features given to `{text(model, chunk, node.func)}`{inside_helper(model, event)} still "
                   f"contain the target column \"{column}\": the model can read the answer; drop it from the features")
        data = drop_target_data(model, node, chunk, x, column, x_node, inside=bool(event.via))
        # Inside a helper the finding goes on the call that passed the table (RULES.md ML2 refinements).
        anchor_chunk, anchor_node = anchor(event)
        finding = rule.finding(model, anchor_node, message, chunk=anchor_chunk, **data)
        finding.related += via_related(model, event, "where the features are given with the target")
        yield finding


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
            yield (x.order, split, x.data, y.data, x.node)


def first_holding(tables, column):
    for rank, x in tables:
        if column not in x.data.frame.excluded:
            return rank, x
    return None


def column_picking_calls(facts: LineageFacts) -> set[int]:
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


def drop_target_data(model: ModuleModel, call: ast.Call, chunk: Chunk, features, column: str, features_node,
                     inside: bool = False) -> dict:
    """Where to drop the target: the `drop(...)`/`[[...]]` that built the features, or the argument.
    `inside` a helper applied at a call, only a `drop`/`[[...]]` of the document's own code is edited."""
    if features.origin_node is not None:
        origin_chunk, origin = features.origin_node
        if inside and home_of(model, origin_chunk) is not None:
            return NOT_FIXABLE
        kind = "drop" if isinstance(origin, ast.Call) else "select"
        if kind == "drop" and drop_columns_node(origin) is None:
            return NOT_FIXABLE
        if kind == "select" and not (isinstance(origin.slice, (ast.List, ast.Tuple)) and len(origin.slice.elts) > 1):
            return NOT_FIXABLE
        return {"target_fix": {"kind": kind, "column": column, "span": span_list(model.span(origin_chunk, origin)),
                               "statement": statement_lines(origin_chunk, origin)}}
    if features.frame is None or features.frame.only is not None or features.frame.excluded:
        return NOT_FIXABLE
    if inside or not isinstance(features_node, (ast.Name, ast.Attribute)):
        return NOT_FIXABLE
    return {"target_fix": {"kind": "frame", "column": column, "span": span_list(model.span(chunk, features_node)),
                           "statement": statement_lines(chunk, features_node)}}


def drop_columns_node(call: ast.Call) -> ast.AST | None:
    """The node naming the dropped columns, if it is a literal string or list/tuple of strings."""
    node = next((kw.value for kw in call.keywords if kw.arg in ("columns", "labels")), None)
    if node is None and call.args:
        node = call.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node
    if isinstance(node, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) for e in node.elts):
        return node
    return None


@TARGET_IN_FEATURES.fixer
def drop_target(text: str, finding: Finding) -> Fix | None:
    import libcst as cst

    from ...fixes.cst import StatementPatch

    info = finding.data.get("target_fix")
    if not info:
        return None
    patch = StatementPatch(text, *info["statement"])
    span = Span(*info["span"])
    literal = json.dumps(info["column"])
    if info["kind"] == "frame":
        node = patch.node_at(span, cst.BaseExpression)
        if node is None:
            return None
        code = cst.Module([]).code_for_node(node)
        new = cst.parse_expression(f"{code}.drop(columns=[{literal}])")
    elif info["kind"] == "drop":
        node = patch.node_at(span, cst.Call)
        new = node and with_dropped(node, literal)
    else:
        node = patch.node_at(span, cst.Subscript)
        new = node and without_selected(node, info["column"])
    if node is None or new is None:
        return None
    return Fix(f'Drop "{info["column"]}" from the features', (patch.replace(node, new),))


def with_dropped(call: ast.Call, literal: str):
    """`df.drop(columns=["id"])` -> `df.drop(columns=["id", "target"])` (also `"id"` and `axis=1` forms)."""
    import libcst as cst

    for index, arg in enumerate(call.args):
        named = arg.keyword is not None and arg.keyword.value in ("columns", "labels")
        if named or (arg.keyword is None and index == 0):
            value = arg.value
            element = cst.Element(cst.SimpleString(literal))
            if isinstance(value, (cst.List, cst.Tuple)):
                elements = list(value.elements)
                if elements and elements[-1].comma is cst.MaybeSentinel.DEFAULT:
                    elements[-1] = elements[-1].with_changes(
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                new_value = value.with_changes(elements=[*elements, element])
            elif isinstance(value, cst.SimpleString):
                new_value = cst.List([cst.Element(value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                                      element])
            else:
                return None
            args = list(call.args)
            args[index] = arg.with_changes(value=new_value)
            return call.with_changes(args=args)
    return None


def without_selected(subscript, column: str):
    """`df[["a", "target"]]` -> `df[["a"]]`."""
    import libcst as cst

    element = subscript.slice[0].slice if len(subscript.slice) == 1 else None
    value = getattr(element, "value", None)
    if not isinstance(value, (cst.List, cst.Tuple)):
        return None
    kept = [e for e in value.elements if not (isinstance(e.value, cst.SimpleString)
                                              and e.value.evaluated_value == column)]
    if not kept or len(kept) == len(value.elements):
        return None
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    new_value = value.with_changes(elements=kept)
    return subscript.with_changes(slice=[subscript.slice[0].with_changes(
        slice=element.with_changes(value=new_value))])
