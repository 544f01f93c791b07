"""Quick fixes of the ML2 rules: what a fix needs is decided at check time, the edits are built later.

The `*_data` functions run on the keystroke path: they only look at the `ast`
and return JSON-serialisable finding data (or `fixable: False`). The fix
builders run when a fix is asked for and import libcst inside themselves.
"""

from __future__ import annotations

import ast
import json
import re
import weakref

from ..core.facts import enclosing_scope
from ..core.findings import Edit, Fix
from ..core.positions import Span
from ..core.rules import statement_lines

NOT_FIXABLE = {"fixable": False}
SIMPLE_KEYS = (ast.Constant, ast.Name)


# ----- ML201: move the fit after the split --------------------------------------------------


def move_fit_data(model, facts, fit, split, split_input) -> dict:
    """Data for "Move the fit after the split", when the rewrite keeps the program's meaning.

    Offered for `V = T.fit_transform(E)` followed by `a_tr, a_te, ... = train_test_split(..., V, ...)`
    in the same scope, where V is used by nothing but that split, E is not reassigned in between
    and T is not used in between.
    """
    if split.kind != "random" or fit.method != "fit_transform" or not isinstance(split_input, ast.Name):
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


def whole_lines(model, chunk, stmt: ast.stmt) -> bool:
    """The statement has its lines to itself (no `a = 1; b = 2`)."""
    first = model.line_text(chunk.absolute_line(stmt.lineno))
    last = model.line_text(chunk.absolute_line(stmt.end_lineno))
    before = first.encode("utf-8")[: stmt.col_offset].decode("utf-8", "ignore")
    after = last.encode("utf-8")[stmt.end_col_offset:].decode("utf-8", "ignore").strip()
    return not before.strip() and (not after or after.startswith("#"))


class NameUses:
    """Occurrences of names in the module: (document line, is a read, id of its scope)."""

    def __init__(self, model, wanted: set[str]):
        self.by_name: dict[str, list[tuple[int, bool, int]]] = {}
        found = model.__dict__.setdefault("_leakage_name_uses", {})  # shared by this analysis' findings
        indexes = None
        for name in wanted:
            if name not in found:
                if indexes is None:
                    indexes = chunk_name_indexes(model)
                found[name] = occurrences(indexes, name)
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


# Per chunk tree; the entries hold no nodes, so a tree that is gone takes its entry with it.
_NAMES: "weakref.WeakKeyDictionary[ast.AST, dict]" = weakref.WeakKeyDictionary()


def chunk_name_indexes(model) -> dict[str, list]:
    """name -> [(chunk, facts, positions of its Name nodes)] over the chunks where it occurs:
    built once, so that asking about many names does not visit every chunk for each."""
    indexes = model.__dict__.get("_leakage_name_indexes")
    if indexes is None:
        indexes = {}
        for chunk, facts in model.parsed:
            for name, positions in names_in(chunk.tree, facts).items():
                indexes.setdefault(name, []).append((chunk, facts, positions))
        model.__dict__["_leakage_name_indexes"] = indexes
    return indexes


def occurrences(indexes: dict[str, list], name: str) -> list[tuple[int, bool, int]]:
    """(document line, is a read, id of the scope) of every occurrence of `name`."""
    found = []
    for chunk, facts, positions in indexes.get(name, ()):
        nodes = facts.by_type[ast.Name]
        for position in positions:
            node = nodes[position]
            found.append((chunk.absolute_line(node.lineno), isinstance(node.ctx, ast.Load),
                          id(enclosing_scope(node))))
    return found


def names_in(tree: ast.AST, facts) -> dict[str, list[int]]:
    """A chunk's names by identifier: positions in its index of Name nodes."""
    index = _NAMES.get(tree)
    if index is None:
        index = {}
        for position, node in enumerate(facts.by_type.get(ast.Name, ())):
            index.setdefault(node.id, []).append(position)
        _NAMES[tree] = index
    return index


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def free_name(names: NameUses, wanted: str) -> str:
    """`wanted` unless the module already uses it (then the transformer is left as it is)."""
    return wanted if not names.by_name.get(wanted) else ""


def span_list(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]


def move_fit(text: str, finding) -> Fix | None:
    import libcst as cst

    from ..core.chunks import split_lines
    from ..fixes.cst import StatementPatch

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


# ----- ML202: transform instead of refitting ------------------------------------------------


def fit_transform_fixable(fit, already_fitted: bool = False) -> bool:
    """`T.fit_transform(X_test)` -> `T.transform(X_test)` works only if T was fitted before."""
    fitted = already_fitted or (fit.obj.fits and not fit.obj.maybe_unfitted)
    return bool(fit.method == "fit_transform" and fit.obj.role == "transformer" and fitted
                and isinstance(fit.node.func, ast.Attribute) and isinstance(fit.node.func.value, ast.Name))


def fit_transform_to_transform(text: str, finding) -> Fix | None:
    import libcst as cst

    from ..fixes.cst import StatementPatch

    patch = StatementPatch(text, *finding.data["statement"])
    call = patch.node_at(finding.span, cst.Call)
    if call is None or not isinstance(call.func, cst.Attribute) or call.func.attr.value != "fit_transform":
        return None
    new = call.with_changes(func=call.func.with_changes(attr=cst.Name("transform")))
    return Fix("Use `transform` (the training fit) on the test data", (patch.replace(call, new),))


# ----- ML207: drop the target from the features ---------------------------------------------


def drop_target_data(model, call: ast.Call, chunk, features, column: str, features_node) -> dict:
    """Where to drop the target: the `drop(...)`/`[[...]]` that built the features, or the argument."""
    if features.origin_node is not None:
        origin_chunk, origin = features.origin_node
        kind = "drop" if isinstance(origin, ast.Call) else "select"
        if kind == "drop" and drop_columns_node(origin) is None:
            return NOT_FIXABLE
        if kind == "select" and not (isinstance(origin.slice, (ast.List, ast.Tuple)) and len(origin.slice.elts) > 1):
            return NOT_FIXABLE
        return {"target_fix": {"kind": kind, "column": column, "span": span_list(model.span(origin_chunk, origin)),
                               "statement": statement_lines(origin_chunk, origin)}}
    if features.frame is None or features.frame.only is not None or features.frame.excluded:
        return NOT_FIXABLE
    if not isinstance(features_node, (ast.Name, ast.Attribute)):
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


def drop_target(text: str, finding) -> Fix | None:
    import libcst as cst

    from ..fixes.cst import StatementPatch

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


def with_dropped(call, literal: str):
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

