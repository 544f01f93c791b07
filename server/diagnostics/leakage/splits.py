"""Descriptions of fits and splits, and the questions several leakage rules ask about them."""

from __future__ import annotations

import ast
import os
import re

from ...lineage.events import FitEvent, LineageFacts
from ...lineage.values import Data, covers
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...rules.findings import Related

TARGET_NAME = re.compile(r"^(y|Y)(_\w*)?$|^(targets?|labels?)(_\w*)?$|_(y|targets?|labels?)$")


def home_of(model: ModuleModel, chunk: Chunk):
    """The other workspace file (lineage/foreign.py's ForeignModule) holding `chunk`, whose function
    the document calls; None for the document's own chunks."""
    return lineage_of(model).home_of(chunk)


def imports_or_calls_helpers(model: ModuleModel, *roots: str) -> bool:
    """The document imports one of the libraries a rule is about, or calls functions of other workspace
    files (which may use them on its data)."""
    return model.imports_any(*roots) or bool(model.external.definitions)


def in_other_file(model: ModuleModel, event) -> bool:
    return home_of(model, event.chunk) is not None


def related_at(model: ModuleModel, chunk: Chunk, node: ast.AST, message: str) -> Related:
    """A related place, in the document or in the other file that holds it."""
    home = home_of(model, chunk)
    if home is None:
        return Related(model.span(chunk, node), message)
    return Related(home.model.span(chunk, node), message, home.path)


def text(model: ModuleModel, chunk: Chunk, node: ast.AST, limit: int = 40) -> str:
    home = home_of(model, chunk)
    source = (home.model if home is not None else model).text_of(chunk, node) or ast.unparse(node)
    source = " ".join(source.split())
    return source if len(source) <= limit else source[: limit - 3] + "..."


def where(model: ModuleModel, chunk: Chunk, node: ast.AST) -> str:
    """'at line 14', or in a notebook 'in cell 8, line 2', or in another file 'at prep.py line 5'."""
    line = chunk.absolute_line(node.lineno)
    home = home_of(model, chunk)
    if home is not None:
        return f"at {os.path.basename(home.path)} line {line}"
    cell = model.cell_at(line)
    if cell is None:
        return f"at line {line}"
    return f"in cell {cell.index}, line {line - cell.first_line + 1}"


# ----- events inside local functions (lineage/summaries.py): name the helper and the call --------


def anchor(event) -> tuple[Chunk, ast.AST]:
    """Where a finding about `event` goes: the event, or for one inside a local function, the call
    in the caller's code that passed the data (the helper may be called correctly elsewhere)."""
    return event.via[0][:2] if event.via else (event.chunk, event.node)


def inside_helper(model: ModuleModel, event) -> str:
    """' inside `helper` (called at line 20)', or '' for an event of the caller's own code."""
    if not event.via:
        return ""
    chunk, call, _ = event.via[0]
    home = home_of(model, event.chunk)
    of_file = f" of {os.path.basename(home.path)}" if home is not None else ""
    return f" inside `{event.via[-1][2]}`{of_file} (called {where(model, chunk, call)})"


def inside_one_call(first, second) -> bool:
    """Both happened in one application of a local function: the function's own walk reports them."""
    return bool(first.via) and bool(second.via) and first.via[0][1] is second.via[0][1]


def via_related(model: ModuleModel, event, what: str) -> list[Related]:
    """The calls that passed the data down to `event`, and `event` itself in the helper."""
    if not event.via:
        return []
    related = [related_at(model, chunk, call, f"`{name}` is given the data here") for chunk, call, name in event.via]
    related.append(related_at(model, event.chunk, event.node, what))
    return related


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
        return f"split into folds by `{text(model, split.chunk, split.node)}` {place}{inside_helper(model, split)}"
    names = output_names(facts, split, data_node)
    how = "split by hand" if split.kind == "hand" else "split"
    if names:
        return f"{how} into `{names[0]}`/`{names[1]}` {place}{inside_helper(model, split)}"
    return f"{how} {place}{inside_helper(model, split)}"


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
    return related_at(model, split.chunk, split.node, message)


def leak_related(model: ModuleModel, event, split, event_what: str, split_what: str) -> list[Related]:
    """Related places of a leak from `event` into `split`: the split (and the calls that reach it when
    it is inside a helper), and the event inside its helper."""
    related = via_related(model, event, event_what)
    if split.via and not inside_one_call(event, split):
        related += [item for item in via_related(model, split, split_what) if item not in related]
    else:
        related.append(split_related(model, split, split_what))
    return related


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
                if event is None or event.id in found or event.order > record.order or \
                        event.scope is not split.scope or inside_one_call(event, split):
                    continue
                seen = event.data.rows if isinstance(event, FitEvent) else event.statistic.rows
                if accept(event) and covers(seen, rows):
                    found[event.id] = (event, split, record)
    return sorted(found.values(), key=lambda entry: entry[0].order)


NOT_FIXABLE = {"fixable": False}


def span_list(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]
