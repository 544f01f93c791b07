"""ML402 chained-assignment."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...parse.syntax import dotted_name
from ...rules.findings import Edit, Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .pandas_kinds import OTHER, PandasKinds, span_list, text_in

CHAINED_ASSIGNMENT = Rule(
    code="ML402",
    name="chained-assignment",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A value is assigned through chained indexing (`df[a][b] = v`, `df.loc[a][b] = v`, "
    "`df[a].loc[b] = v`) on a pandas object.",
    why="The first indexing may return a copy, so the assignment changes a temporary object "
    "and the DataFrame keeps its old values (with copy-on-write, always). The cleaning step "
    "looks done in the code but never happened in the data.",
    bad='df["total_charges"][df["total_charges"] < 0] = 0',
    good='df.loc[df["total_charges"] < 0, "total_charges"] = 0',
    fix_title="Use df.loc[row, col] = value",
)
LOCATORS = {"loc", "iloc"}


def chained_target(target: ast.AST):
    """(receiver, form, first index, second index) of a chained-indexing target, else None.

    form is "[][]" for df[a][b], "loc[][]" for df.loc[a][b], "[].loc[]" for df[a].loc[b]
    (and the iloc variants, which never get a fix)."""
    if not isinstance(target, ast.Subscript):
        return None
    inner = target.value
    if isinstance(inner, ast.Subscript):
        base = inner.value
        if isinstance(base, ast.Attribute) and base.attr in LOCATORS:
            return base.value, f"{base.attr}[][]", inner.slice, target.slice
        return base, "[][]", inner.slice, target.slice
    if isinstance(inner, ast.Attribute) and inner.attr in LOCATORS and isinstance(inner.value, ast.Subscript):
        first = inner.value
        receiver = first.value
        if isinstance(receiver, ast.Attribute) and receiver.attr in LOCATORS:
            return None  # df.loc[a].loc[b]: rows then rows, nothing simple to say
        return receiver, f"[].{inner.attr}[]", first.slice, target.slice
    return None


def chained_targets(facts) -> list[ast.Subscript]:
    """The chunk's chained-indexing targets of assignments (`x[i][j] = v`), tuples unpacked."""
    found = []
    for node_type in (ast.Assign, ast.AugAssign, ast.AnnAssign):
        for node in facts.by_type.get(node_type, ()):
            for target in node.targets if node_type is ast.Assign else (node.target,):
                if type(target) is ast.Subscript:  # the common case first: this loop sees every assignment
                    found.append(target)
                elif isinstance(target, (ast.Tuple, ast.List)):
                    found.extend(element for element in unpacked(target) if type(element) is ast.Subscript)
    return [target for target in found if type(target.value) in (ast.Subscript, ast.Attribute)
            and chained_target(target)]


def unpacked(target):
    for element in target.elts:
        if isinstance(element, (ast.Tuple, ast.List)):
            yield from unpacked(element)
        else:
            yield element


@CHAINED_ASSIGNMENT.checker
def check_chained_assignment(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any("pandas"):
        return
    candidates = [(chunk, target, chained_target(target)) for chunk, target in model.chunk_scan(chained_targets)]
    if not candidates:
        return
    kinds = PandasKinds(model)
    for chunk, target, (receiver, form, first, second) in candidates:
        kind = kinds.kind(chunk, receiver)
        if kind == OTHER or (kind is None and form == "[][]" and not named_like_a_frame(receiver)):
            continue
        data = loc_rewrite(model, chunk, receiver, form, first, second)
        yield rule.finding(model, target, "chained indexing assigns to a temporary copy: the "
                           "DataFrame may keep its old values; assign with `.loc[row, col]` in one step",
                           chunk=chunk, **data)


FRAME_NAME = re.compile(r"(^|_)(df|dataframe|frame)(s?\d*)(_|$)", re.IGNORECASE)


def named_like_a_frame(receiver: ast.AST) -> bool:
    """`df`, `train_df`, `df2`, `self.frame`: an unknown receiver whose name says DataFrame.

    Plain `x[a][b] = v` on an unknown object is far more often a dict of dicts
    (`tags["checks"]["name"] = msg`) than a DataFrame, so only the name can tell."""
    name = dotted_name(receiver)
    return name is not None and FRAME_NAME.search(name.rsplit(".", 1)[-1]) is not None


def is_column_label(index: ast.AST) -> bool:
    return isinstance(index, ast.Constant) and isinstance(index.value, str)


def is_row_selector(index: ast.AST) -> bool:
    """Something `.loc` may take as its row part with the same meaning (no slices, no tuples)."""
    return not isinstance(index, (ast.Slice, ast.Tuple, ast.Starred)) and not is_column_label(index)


MASK_METHODS = {"isin", "isna", "notna", "isnull", "notnull", "between", "duplicated"}


def is_boolean_mask(index: ast.AST) -> bool:
    """`df.x > 0`, `(a > 0) & b`, `~m`, `df.x.isna()`: a row filter, whatever the names are."""
    if isinstance(index, ast.Compare):
        return True
    if isinstance(index, ast.BinOp):
        return isinstance(index.op, (ast.BitAnd, ast.BitOr, ast.BitXor))
    if isinstance(index, ast.UnaryOp):
        return isinstance(index.op, ast.Invert)
    return isinstance(index, ast.Call) and isinstance(index.func, ast.Attribute) and index.func.attr in MASK_METHODS


def loc_rewrite(model: ModuleModel, chunk: Chunk, receiver, form: str, first, second) -> dict:
    """The data the fix needs: spans of receiver, row and column, or fixable=False."""
    row = column = None
    if form == "[][]":
        if is_column_label(first) and is_row_selector(second):
            column, row = first, second
        elif is_column_label(second) and is_boolean_mask(first):
            row, column = first, second  # df[mask]["a"]; df[name]["a"] could be column-then-row
    elif form == "loc[][]" and is_column_label(second) and is_row_selector(first):
        row, column = first, second
    elif form == "[].loc[]" and is_column_label(first) and is_row_selector(second):
        column, row = first, second
    if row is None or dotted_name(receiver) is None:
        return {"fixable": False}
    return {
        "receiver": span_list(model.span(chunk, receiver)),
        "row": span_list(model.span(chunk, row)),
        "column": span_list(model.span(chunk, column)),
    }


@CHAINED_ASSIGNMENT.fixer
def fix_chained_assignment(text: str, finding: Finding) -> Fix | None:
    receiver, row, column = (text_in(text, Span(*finding.data[key])) for key in ("receiver", "row", "column"))
    new = f"{receiver}.loc[{row}, {column}]"
    return Fix(f"Assign with `{new}`", (Edit(finding.span, new),))
