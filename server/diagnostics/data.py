"""ML4: data handling. pandas code that silently does nothing or the wrong thing."""

from __future__ import annotations

import ast
import re

from ..model.bindings import name_bindings
from ..model.calls import has_star_kwargs, keyword_constant
from ..parse.positions import Span
from ..parse.syntax import dotted_name, parent
from ..rules.findings import Edit, Fix, Severity
from ..rules.rule import Rule

PRINCIPLE = "Reproducibility"
AREA = "Data Pipeline"
RED_FLAG = "unhandled edge cases"

# ----- ML401 nan-equality -------------------------------------------------------------------

NAN_EQUALITY = Rule(
    code="ML401",
    name="nan-equality",
    severity=Severity.ERROR,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A value is compared with NaN or `pd.NA` using `==` or `!=` (`x == np.nan`).",
    why="NaN is not equal to anything, itself included, so `x == np.nan` is always False and "
    "`x != np.nan` always True (and `pd.NA` comparisons give NA). The missing values the code "
    "meant to find are never found: filters come back empty and cleaning steps silently do nothing.",
    bad="missing = df[df.total_charges == np.nan]",
    good="missing = df[pd.isna(df.total_charges)]",
    fix_title="Use pd.isna / np.isnan",
)

NAN_CONSTANTS = {"numpy.nan", "numpy.NaN", "numpy.NAN", "math.nan", "pandas.NA"}
NAN_STRINGS = {"nan", "+nan", "-nan"}


NAN_ATTRIBUTES = {name.rsplit(".", 1)[1] for name in NAN_CONSTANTS}


def is_nan_constant(model, expr: ast.AST, nan_aliases: set[str]) -> bool:
    """`np.nan`, `math.nan`, `pd.NA` or `float("nan")`; cheap name checks before resolving."""
    if isinstance(expr, ast.Attribute):
        return expr.attr in NAN_ATTRIBUTES and model.resolve(expr) in NAN_CONSTANTS
    if isinstance(expr, ast.Name):
        return expr.id in nan_aliases  # `from numpy import nan`
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "float" \
            and len(expr.args) == 1 and not expr.keywords:
        arg = expr.args[0]
        return (model.call_name(expr) == "builtins.float" and isinstance(arg, ast.Constant)
                and isinstance(arg.value, str) and arg.value.strip().lower() in NAN_STRINGS)
    return False


def module_alias(model, module: str) -> str | None:
    """The name `module` is imported as (`pd` for `import pandas as pd`), if any."""
    for fact in model.import_facts:
        if fact.qualname == module:
            return fact.alias
    return None


@NAN_EQUALITY.checker
def check_nan_equality(model, rule):
    nan_aliases = {alias for alias, qualname in model.imports.items() if qualname in NAN_CONSTANTS}
    for chunk, compare in model.nodes(ast.Compare):
        operands = [compare.left, *compare.comparators]
        for index, op in enumerate(compare.ops):
            if not isinstance(op, (ast.Eq, ast.NotEq)):
                continue
            left, right = operands[index], operands[index + 1]
            nan_left = is_nan_constant(model, left, nan_aliases)
            if not (nan_left or is_nan_constant(model, right, nan_aliases)):
                continue
            other, constant = (right, left) if nan_left else (left, right)
            negated = isinstance(op, ast.NotEq)
            pandas_na = model.resolve(constant) == "pandas.NA"
            yield nan_finding(model, rule, chunk, compare, other, negated, pandas_na)
            break


def nan_finding(model, rule, chunk, compare: ast.Compare, other: ast.AST, negated: bool, pandas_na: bool):
    pandas, numpy = module_alias(model, "pandas"), module_alias(model, "numpy")
    if pandas:
        replacement = f"{pandas}.notna({{}})" if negated else f"{pandas}.isna({{}})"
    elif numpy and not pandas_na:  # np.isnan raises on pd.NA
        replacement = f"~{numpy}.isnan({{}})" if negated else f"{numpy}.isnan({{}})"
    else:
        replacement = None
    shown = model.text_of(chunk, other)
    shown = shown if len(shown) <= 30 and "\n" not in shown else "x"
    check = (replacement or "pd.isna({})").format(shown)
    operator = "!=" if negated else "=="
    if pandas_na:
        message = f"`{operator} pd.NA` gives NA, never True or False: use `{check}`"
    else:
        message = (f"`{operator}` with NaN is always {'True' if negated else 'False'}: "
                   f"NaN equals nothing, itself included; use `{check}`")
    data = {}
    if replacement is None or len(compare.ops) > 1:
        data["fixable"] = False
    else:
        data["replacement"] = replacement
        data["operand"] = span_list(model.span(chunk, other))
    return rule.finding(model, compare, message, chunk=chunk, **data)


@NAN_EQUALITY.fixer
def fix_nan_equality(text, finding):
    operand = text_in(text, Span(*finding.data["operand"]))
    new = finding.data["replacement"].format(operand)
    return Fix(f"Replace with `{new}`", (Edit(finding.span, new),))


# ----- pandas receivers: which names hold DataFrames/Series -----------------------------------

PANDAS, OTHER = "pandas", "other"  # kinds; None means "unknown"
LITERALS = (ast.Dict, ast.List, ast.Set, ast.Tuple, ast.ListComp, ast.DictComp, ast.SetComp,
            ast.GeneratorExp, ast.Constant, ast.JoinedStr, ast.BinOp, ast.Compare, ast.BoolOp)
# Libraries whose calls never return a pandas object.
NON_PANDAS_ROOTS = {
    "builtins", "numpy", "collections", "json", "yaml", "torch", "tensorflow", "keras", "jax",
    "math", "random", "re", "os", "sys", "pathlib", "itertools", "scipy", "matplotlib", "PIL",
    "cv2", "time", "datetime", "string", "array", "polars", "xarray", "networkx", "csv", "pickle",
}
UNKNOWN_BUILTINS = {"builtins.getattr", "builtins.next", "builtins.max", "builtins.min"}
# Methods of pandas objects that return something else.
CONVERSIONS = {"to_numpy", "to_dict", "to_list", "tolist", "to_json", "to_csv", "to_records", "item",
               "to_string", "to_markdown", "to_parquet", "to_pickle"}
NON_PANDAS_ATTRIBUTES = {"values", "shape", "size", "ndim", "dtypes", "dtype"}


class PandasKinds:
    """What an expression holds: a pandas object, something else, or unknown. Names are
    looked up in the shared bindings index (latest binding before the use, per scope);
    `self.df`-style attributes in an index of attribute assignments built on first use."""

    def __init__(self, model):
        self.model = model
        self.bindings = name_bindings(model)
        self.attributes: dict[str, list[object]] | None = None  # `self.df` -> assigned values
        self._visiting: set[int] = set()  # values being evaluated: `self.df = self.df.copy()`
        self._kinds: dict[int, str | None] = {}  # a bound value's kind never depends on who asks

    def _attribute_values(self, name: str) -> list[object]:
        if self.attributes is None:
            self.attributes = {}
            for _, assign in self.model.nodes(ast.Assign, ast.AnnAssign):
                value = assign.value
                if isinstance(assign, ast.AnnAssign) and self._pandas_annotation(assign.annotation):
                    value = PANDAS
                for target in assign.targets if isinstance(assign, ast.Assign) else [assign.target]:
                    if isinstance(target, ast.Attribute) and (dotted := dotted_name(target)) is not None:
                        self.attributes.setdefault(dotted, []).append(value)
        return self.attributes.get(name, [])

    def _parameter_kind(self, function, name: str) -> str | None:
        arguments = function.args
        for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            if arg.arg == name and arg.annotation is not None and self._pandas_annotation(arg.annotation):
                return PANDAS
        return None

    def _pandas_annotation(self, annotation) -> bool:
        return (self.model.resolve(annotation) or "").startswith("pandas.")

    # ----- questions

    def kind(self, chunk, expr: ast.AST) -> str | None:
        """PANDAS, OTHER or None (unknown) for what `expr` evaluates to."""
        if isinstance(expr, LITERALS):
            return OTHER
        if isinstance(expr, ast.Name):
            return self._name_kind(chunk, expr)
        if isinstance(expr, ast.Attribute):
            return self._attribute_kind(chunk, expr)
        if isinstance(expr, ast.Subscript):
            return self.kind(chunk, expr.value)
        if isinstance(expr, ast.Call):
            return self._call_kind(chunk, expr)
        return None

    def _name_kind(self, chunk, name: ast.Name) -> str | None:
        binding = self.bindings.lookup(name.id, name, chunk)
        if binding is None:
            qualname = self.model.resolve(name)  # an import (or a builtin)
            if qualname is None:
                return None
            return PANDAS if qualname.startswith("pandas.") else OTHER
        if binding.kind == "value":
            return self._value_kind(binding.value)
        if binding.kind == "parameter":
            return self._parameter_kind(binding.scope, name.id)
        return OTHER if binding.kind == "definition" else None  # loop targets, `with ... as x`

    def _value_kind(self, value) -> str | None:
        if value is None or isinstance(value, str):
            return value
        if id(value) in self._kinds:
            return self._kinds[id(value)]
        if id(value) in self._visiting:
            return None
        self._visiting.add(id(value))
        try:
            kind = self._kinds[id(value)] = self.kind(self.model.chunk_of(value), value)
        finally:
            self._visiting.discard(id(value))
        return kind

    def _attribute_kind(self, chunk, attribute: ast.Attribute) -> str | None:
        qualname = self.model.resolve(attribute)
        if qualname is not None and attribute.attr != "loc":
            return PANDAS if qualname.startswith("pandas.") else OTHER
        name = dotted_name(attribute)
        values = self._attribute_values(name) if name is not None and "." in name else []
        if values:
            kinds = {self._value_kind(value) for value in values}
            return kinds.pop() if len(kinds) == 1 else None
        base = self.kind(chunk, attribute.value)
        if base == PANDAS:
            return OTHER if attribute.attr in NON_PANDAS_ATTRIBUTES else PANDAS
        return OTHER if base == OTHER else None

    def _call_kind(self, chunk, call: ast.Call) -> str | None:
        qualname = self.model.call_name(call)
        if qualname is not None:
            if qualname.startswith("pandas."):
                return PANDAS
            if qualname.split(".")[0] in NON_PANDAS_ROOTS and qualname not in UNKNOWN_BUILTINS:
                return OTHER
            return None  # e.g. sklearn's fetch_openml(as_frame=True) or train_test_split
        if isinstance(call.func, ast.Attribute):
            base = self.kind(chunk, call.func.value)
            if base == PANDAS:
                return OTHER if call.func.attr in CONVERSIONS else PANDAS
            return OTHER if base == OTHER else None
        return None


# ----- ML402 chained-assignment --------------------------------------------------------------

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


def subscript_targets(model):
    """(chunk, target) of every subscript assigned to (`x[i] = v`), tuples unpacked."""
    found = []
    for chunk, node in model.nodes(ast.Assign, ast.AugAssign, ast.AnnAssign):
        for target in node.targets if type(node) is ast.Assign else (node.target,):
            if type(target) is ast.Subscript:  # the common case first: this loop sees every assignment
                found.append((chunk, target))
            elif isinstance(target, (ast.Tuple, ast.List)):
                found.extend((chunk, element) for element in unpacked(target) if type(element) is ast.Subscript)
    return found


def unpacked(target):
    for element in target.elts:
        if isinstance(element, (ast.Tuple, ast.List)):
            yield from unpacked(element)
        else:
            yield element


@CHAINED_ASSIGNMENT.checker
def check_chained_assignment(model, rule):
    if not model.imports_any("pandas"):
        return
    candidates = [(chunk, target, chain) for chunk, target in subscript_targets(model)
                  if type(target.value) in (ast.Subscript, ast.Attribute) and (chain := chained_target(target))]
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


def loc_rewrite(model, chunk, receiver, form: str, first, second) -> dict:
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
def fix_chained_assignment(text, finding):
    receiver, row, column = (text_in(text, Span(*finding.data[key])) for key in ("receiver", "row", "column"))
    new = f"{receiver}.loc[{row}, {column}]"
    return Fix(f"Assign with `{new}`", (Edit(finding.span, new),))


# ----- ML403 result-discarded ----------------------------------------------------------------

RESULT_DISCARDED = Rule(
    code="ML403",
    name="result-discarded",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="A pandas method that returns a new object (`dropna`, `fillna`, `drop`, `rename`, "
    "`sort_values`, ...) is called as a bare statement without `inplace=True`.",
    why="These methods leave the DataFrame untouched and return a changed copy. Called on its "
    "own line the copy is thrown away, so the rows are not dropped and the gaps not filled, and "
    "everything downstream trains on data the author believes was cleaned.",
    bad="df.dropna()",
    good="df = df.dropna()",
    fix_title="Assign the result back",
)

RETURNS_NEW = {"dropna", "fillna", "drop", "drop_duplicates", "rename", "replace", "reset_index",
               "set_index", "sort_values", "sort_index", "astype", "assign", "interpolate", "clip"}
# Names other libraries use too (str.replace, Path.rename, ndarray.astype/clip): on a receiver of
# unknown type they count only with an argument that only pandas takes.
SHARED_NAMES = {"rename", "replace", "astype", "clip", "drop", "assign"}
PANDAS_KEYWORDS = {"columns", "index", "axis", "labels", "errors", "to_replace", "regex", "lower",
                   "upper", "subset", "level", "ignore_index"}


@RESULT_DISCARDED.checker
def check_result_discarded(model, rule):
    if not model.imports_any("pandas"):
        return
    candidates = [(chunk, statement) for chunk, call in model.method_calls(*RETURNS_NEW)
                  if isinstance(statement := parent(call), ast.Expr) and discards_new_object(model, statement)]
    if not candidates:
        return
    kinds = PandasKinds(model)
    for chunk, statement in candidates:
        call = statement.value
        receiver, method = call.func.value, call.func.attr
        kind = kinds.kind(chunk, receiver)
        if kind == OTHER or (kind is None and method in SHARED_NAMES
                             and not any(kw.arg in PANDAS_KEYWORDS for kw in call.keywords)):
            continue
        if is_displayed(model, chunk, statement):
            continue
        name = dotted_name(receiver)
        data = {"target": name} if name else {"fixable": False}
        yield rule.finding(model, call, f"`.{method}()` returns a new object and the result is thrown "
                           f"away: assign it (`{name or 'df'} = {name or 'df'}.{method}(...)`)",
                           chunk=chunk, **data)


def discards_new_object(model, statement: ast.Expr) -> bool:
    call = statement.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in RETURNS_NEW):
        return False
    if has_star_kwargs(call) or keyword_constant(call, "inplace", False) is not False:
        return False  # inplace=True (or maybe True) changes the object itself
    return model.resolve(call.func) is None  # `np.clip(...)` is a module function, not a method


def is_displayed(model, chunk, statement: ast.Expr) -> bool:
    """The last top-level expression of a notebook cell is shown, not thrown away."""
    if not model.source.is_notebook or not isinstance(parent(statement), ast.Module):
        return False
    cell = model.cell_at(chunk.absolute_line(statement.lineno))
    if cell is None:
        return False
    in_cell = [c for c, _ in model.parsed if cell.first_line <= c.first_line <= cell.last_line and c.tree.body]
    last_chunk = max(in_cell, key=lambda c: c.first_line)
    if last_chunk.tree.body[-1] is not statement:
        return False
    end_line = chunk.absolute_line(statement.end_lineno)
    after = model.line_text(end_line).encode("utf-8")[statement.end_col_offset:].decode("utf-8", "ignore")
    return not after.lstrip().startswith(";")  # a trailing `;` hides the value


@RESULT_DISCARDED.fixer
def fix_result_discarded(text, finding):
    target = finding.data["target"]
    span = finding.span
    return Fix(f"Assign the result back to `{target}`",
               (Edit(Span(span.line, span.col, span.line, span.col), f"{target} = "),))


# ----- helpers ---------------------------------------------------------------------------------


def span_list(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]


def text_in(text: str, span: Span) -> str:
    """The document text a span covers."""
    from ..fixes.edits import line_starts, to_offset

    starts = line_starts(text)
    return text[to_offset(starts, text, span.line, span.col): to_offset(starts, text, span.end_line, span.end_col)]


RULES = [NAN_EQUALITY, CHAINED_ASSIGNMENT, RESULT_DISCARDED]
