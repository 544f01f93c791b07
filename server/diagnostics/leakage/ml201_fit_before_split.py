"""ML201 fit-before-split."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from ...lineage.events import FitEvent, LineageFacts
from ...lineage.values import Data, covers
from ...lineage.walker import lineage_of
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...parse.syntax import ChunkFacts, enclosing_scope
from ...rules.findings import Edit, Finding, Fix, Severity
from ...rules.rule import Rule, statement_lines
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import (
    NOT_FIXABLE,
    anchor,
    data_text,
    events_reaching_splits,
    imports_or_calls_helpers,
    inside_helper,
    inside_one_call,
    is_training_split,
    leak_related,
    leaky_fit,
    receiver_text,
    span_list,
    split_description,
)

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


def applied_to_split_side(facts: LineageFacts, accept):
    """(event, split) for fits or statistics of a whole data set that reach data used after a split
    of it (e.g. `scaler.fit(X)`, split, `model.fit(scaler.transform(X_train))`)."""
    found = {}
    for use in facts.uses:
        for value in (use.data, *use.values):
            if not isinstance(value, Data):
                continue
            for event_id in value.taint:
                event = facts.events.get(event_id)
                if event is None or event.id in found or event.scope is not use.scope or not accept(event) or \
                        inside_one_call(event, use):
                    continue
                seen = event.data.rows if isinstance(event, FitEvent) else event.statistic.rows
                split = split_before(facts, value.rows, seen, event.order)
                if split is not None:
                    found[event.id] = (event, split)
    return sorted(found.values(), key=lambda entry: entry[0].order)


def split_before(facts: LineageFacts, rows, seen, after_order):
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


@FIT_BEFORE_SPLIT.checker
def check_fit_before_split(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not imports_or_calls_helpers(model, "sklearn", "category_encoders"):
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
        message = (f"`{receiver_text(model, fit)}` is fitted on `{data_text(model, fit)}`{inside_helper(model, fit)}, whose "
                   f"rows are then {split_description(model, facts, split, split_input)}: the test rows leak into "
                   "the fitted statistics")
        chunk, node = anchor(fit)
        finding = rule.finding(model, node, message, chunk=chunk, **move_fit_data(model, facts, fit, split, split_input))
        finding.related += leak_related(model, fit, split, "the fit", "the split: its test rows were already seen by the fit")
        yield finding


SIMPLE_KEYS = (ast.Constant, ast.Name)


def move_fit_data(model: ModuleModel, facts: LineageFacts, fit, split, split_input) -> dict:
    """Data for "Move the fit after the split", when the rewrite keeps the program's meaning.

    Offered for `V = T.fit_transform(E)` followed by `a_tr, a_te, ... = train_test_split(..., V, ...)`
    in the same scope, where V is used by nothing but that split, E is not reassigned in between
    and T is not used in between.
    """
    if split.kind != "random" or fit.method != "fit_transform" or not isinstance(split_input, ast.Name) or \
            fit.via or split.via:
        return NOT_FIXABLE
    call, stmt = fit.node, getattr(fit.node, "_parent", None)
    if not (isinstance(stmt, ast.Assign) and stmt.value is call and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == split_input.id):
        return NOT_FIXABLE
    if len(call.args) != 1 or call.keywords or not simple_expression(call.args[0]):
        return NOT_FIXABLE
    split_stmt = getattr(split.node, "_parent", None)
    if not (isinstance(split_stmt, ast.Assign) and split_stmt.value is split.node and len(split_stmt.targets) == 1
            and isinstance(split_stmt.targets[0], ast.Tuple)):
        return NOT_FIXABLE
    outputs = split_stmt.targets[0].elts
    index = next((i for i, arg in enumerate(split.node.args) if arg is split_input), None)
    if index is None or len(outputs) != 2 * len(split.node.args) or \
            not all(isinstance(o, ast.Name) for o in outputs[2 * index: 2 * index + 2]):
        return NOT_FIXABLE
    if fit.scope is not split.scope or not alone_in_block(stmt):
        return NOT_FIXABLE
    fit_lines = statement_lines(fit.chunk, call)
    split_lines_ = statement_lines(split.chunk, split.node)
    if fit_lines[1] >= split_lines_[0] or not whole_lines(model, fit.chunk, stmt):
        return NOT_FIXABLE
    receiver = call.func.value
    variable = split_input.id
    roots = {n.id for n in ast.walk(call.args[0]) if isinstance(n, ast.Name)}
    receiver_names = {receiver.id} if isinstance(receiver, ast.Name) else set()
    wanted_name = snake_case(fit.obj.qualname.rsplit(".", 1)[-1]) if fit.obj.qualname else ""
    names = NameUses(model, {variable, wanted_name, *roots, *receiver_names})
    split_line = split.chunk.absolute_line(split_input.lineno)
    if sum(1 for at, is_load, _ in names.by_name.get(variable, ()) if is_load and at == split_line) != 1 or \
            names.loads_after(variable, fit_lines[1], exclude=split_line, scope=fit.scope):
        return NOT_FIXABLE
    if any(names.stores_between(root, fit_lines[1], split_lines_[0], fit.scope) for root in roots):
        return NOT_FIXABLE
    if isinstance(receiver, ast.Name):
        if names.any_between(receiver.id, fit_lines[1], split_lines_[0], fit.scope):
            return NOT_FIXABLE
        receiver_name, construct = receiver.id, None
    elif isinstance(receiver, ast.Call) and fit.obj.qualname:
        receiver_name = free_name(names, wanted_name)
        construct = model.text_of(fit.chunk, receiver)
        if not receiver_name:
            return NOT_FIXABLE
    else:
        return NOT_FIXABLE
    cell = model.cell_at(fit_lines[0])
    train, test = outputs[2 * index].id, outputs[2 * index + 1].id
    return {"move": {
        "fit": fit_lines, "split": split_lines_, "arg": span_list(model.span(split.chunk, split_input)),
        "source": model.text_of(fit.chunk, call.args[0]), "receiver": receiver_name, "construct": construct,
        "train": train, "test": test, "cell": [cell.first_line, cell.last_line] if cell else None,
    }}


def simple_expression(node: ast.AST) -> bool:
    """A name, attribute or subscript with literal or name keys: evaluating it twice is harmless."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Subscript):
            key = node.slice
            elements = key.elts if isinstance(key, (ast.List, ast.Tuple)) else [key]
            if not all(isinstance(element, SIMPLE_KEYS) for element in elements):
                return False
        node = node.value
    return isinstance(node, ast.Name)


def alone_in_block(stmt: ast.stmt) -> bool:
    """Deleting the statement does not leave an empty block behind."""
    parent = getattr(stmt, "_parent", None)
    if isinstance(parent, ast.Module):
        return True
    return any(len(getattr(parent, name, ())) > 1 and stmt in getattr(parent, name)
               for name in ("body", "orelse", "finalbody"))


def whole_lines(model: ModuleModel, chunk: Chunk, stmt: ast.stmt) -> bool:
    """The statement has its lines to itself (no `a = 1; b = 2`)."""
    first = model.line_text(chunk.absolute_line(stmt.lineno))
    last = model.line_text(chunk.absolute_line(stmt.end_lineno))
    before = first.encode("utf-8")[: stmt.col_offset].decode("utf-8", "ignore")
    after = last.encode("utf-8")[stmt.end_col_offset:].decode("utf-8", "ignore").strip()
    return not before.strip() and (not after or after.startswith("#"))


class NameUses:
    """Occurrences of names in the module: (document line, is a read, id of its scope)."""

    def __init__(self, model: ModuleModel, wanted: set[str]):
        self.by_name: dict[str, list[tuple[int, bool, int]]] = {}
        found = model.__dict__.setdefault("_leakage_name_uses", {})  # shared by this analysis' findings
        for name in wanted:
            if name not in found:
                found[name] = occurrences(model, name)
            self.by_name[name] = found[name]

    def loads_after(self, name: str, line: int, exclude: int, scope) -> bool:
        """Read after `line` in `scope` (but for the read at line `exclude`), or read in another
        scope (a function may run later)."""
        return any(is_load and at != exclude and (at > line or other != id(scope))
                   for at, is_load, other in self.by_name.get(name, ()))

    def stores_between(self, name: str, first: int, last: int, scope) -> bool:
        return any(not is_load and first < at < last and other == id(scope)
                   for at, is_load, other in self.by_name.get(name, ()))

    def any_between(self, name: str, first: int, last: int, scope) -> bool:
        return any(first < at < last and other == id(scope) for at, _, other in self.by_name.get(name, ()))


def occurrences(model: ModuleModel, name: str) -> list[tuple[int, bool, int]]:
    """(document line, is a read, id of the scope) of every occurrence of `name`."""
    found = []
    for chunk, facts in model.parsed:
        uses = names_of(facts).get(name)
        if uses:
            found.extend((chunk.absolute_line(line), is_load, scope) for line, is_load, scope in uses)
    return found


def names_of(facts: ChunkFacts) -> dict[str, list[tuple[int, bool, int]]]:
    """A chunk's names by identifier: (line in the chunk, is a read, id of the scope) of each
    occurrence, kept with the chunk's facts so a keystroke indexes the edited chunk alone."""
    index = facts.scans.get(names_of)
    if index is None:
        index = facts.scans[names_of] = {}
        for node in facts.by_type.get(ast.Name, ()):
            index.setdefault(node.id, []).append((node.lineno, isinstance(node.ctx, ast.Load),
                                                  id(enclosing_scope(node))))
    return index


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def free_name(names: NameUses, wanted: str) -> str:
    """`wanted` unless the module already uses it (then the transformer is left as it is)."""
    return wanted if not names.by_name.get(wanted) else ""


@FIT_BEFORE_SPLIT.fixer
def move_fit(text: str, finding: Finding) -> Fix | None:
    import libcst as cst

    from ...fixes.cst import StatementPatch
    from ...parse.chunks import split_lines

    move = finding.data.get("move")
    if not move:
        return None
    lines = split_lines(text)
    split_first, split_last = move["split"]
    patch = StatementPatch(text, split_first, split_last)
    argument = patch.node_at(Span(*move["arg"]), cst.Name)
    if argument is None:
        return None
    rewritten = patch.replace(argument, cst.parse_expression(move["source"]))
    line = lines[split_first - 1]
    indent = line[: len(line) - len(line.lstrip())]
    receiver, train, test = move["receiver"], move["train"], move["test"]
    moved = (f"\n{indent}{train} = {receiver}.fit_transform({train})"
             f"\n{indent}{test} = {receiver}.transform({test})")
    split_edit = Edit(rewritten.span, rewritten.content + moved)
    fit_edit = remove_statement(lines, move)
    return Fix(f"Move `{receiver}` fit after the split", (fit_edit, split_edit))


def remove_statement(lines: list[str], move: dict) -> Edit:
    """Delete the fit statement's lines (or leave the transformer's construction in their place)."""
    first, last = move["fit"]
    first_text = lines[first - 1]
    end_col = len(lines[last - 1].rstrip("\r\n"))
    if move["construct"]:
        indent = len(first_text) - len(first_text.lstrip())
        return Edit(Span(first, indent, last, end_col), f"{move['receiver']} = {move['construct']}")
    cell_first, cell_last = move["cell"] or (1, len(lines))
    if last < cell_last:
        return Edit(Span(first, 0, last + 1, 0), "")
    if first > cell_first:  # the cell's last line: eat the newline before it instead
        return Edit(Span(first - 1, len(lines[first - 2].rstrip("\r\n")), last, end_col), "")
    return Edit(Span(first, 0, last, end_col), "")
