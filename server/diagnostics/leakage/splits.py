"""Descriptions of fits and splits, and the questions several leakage rules ask about them."""

from __future__ import annotations

import ast
import re

from ...lineage.events import FitEvent, LineageFacts
from ...lineage.values import Data, covers
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...rules.findings import Related

TARGET_NAME = re.compile(r"^(y|Y)(_\w*)?$|^(targets?|labels?)(_\w*)?$|_(y|targets?|labels?)$")


def text(model: ModuleModel, chunk: Chunk, node: ast.AST, limit: int = 40) -> str:
    source = model.text_of(chunk, node) or ast.unparse(node)
    source = " ".join(source.split())
    return source if len(source) <= limit else source[: limit - 3] + "..."


def where(model: ModuleModel, chunk: Chunk, node: ast.AST) -> str:
    """'at line 14', or in a notebook 'in cell 8, line 2'."""
    line = chunk.absolute_line(node.lineno)
    cell = model.cell_at(line)
    if cell is None:
        return f"at line {line}"
    return f"in cell {cell.index}, line {line - cell.first_line + 1}"


def receiver_text(model: ModuleModel, fit: FitEvent) -> str:
    func = fit.node.func
    return text(model, fit.chunk, func.value) if isinstance(func, ast.Attribute) else "the transformer"


def data_text(model: ModuleModel, fit: FitEvent) -> str:
    return text(model, fit.chunk, fit.data_node) if fit.data_node is not None else "the data"


def fits_target_alone(facts: LineageFacts, fit: FitEvent) -> bool:
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


def leaky_fit(facts: LineageFacts, event, *, exempt_encoders: bool = True) -> bool:
    """A transformer fit that learns statistics of its rows (RULES.md "Transformer")."""
    if not isinstance(event, FitEvent) or event.method not in ("fit", "fit_transform", "partial_fit"):
        return False
    obj = event.obj
    if obj.role != "transformer" or obj.stateless or (exempt_encoders and obj.exempt):
        return False
    return not fits_target_alone(facts, event)


def split_description(model: ModuleModel, facts: LineageFacts, split, data_node=None) -> str:
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


def output_names(facts: LineageFacts, split, data_node=None) -> list[str] | None:
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


def assigned_name(node: ast.AST) -> str | None:
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


def held_out_split(facts: LineageFacts, rows):
    """The one confirmed random or by-hand split whose evaluation side holds every atom of `rows`
    (a cross-validation fold is not held-out data; neither is a split of two training halves)."""
    found = None
    for atom in rows:
        split = facts.is_evaluation_side(atom)
        if split is None or split.kind == "cv" or is_training_split(split) or (found is not None and split is not found):
            return None
        found = split
    return found


def split_related(model: ModuleModel, split, message: str) -> Related:
    return Related(model.span(split.chunk, split.node), message)


def leaks_into(facts: LineageFacts, split):
    """(input record, evaluation rows) for every input of a confirmed split."""
    if facts.hand_split_sides(split) is None or is_training_split(split):
        return
    for record in facts.inputs_of(split):
        rows = facts.evaluation_rows(split, record.data)
        if rows:
            yield record, rows


def events_reaching_splits(facts: LineageFacts, accept):
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


NOT_FIXABLE = {"fixable": False}


def span_list(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]
