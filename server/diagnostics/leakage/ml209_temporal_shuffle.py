"""ML209 temporal-shuffle."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ...lineage.walker import lineage_of
from ...model.calls import has_star_kwargs, keyword, keyword_constant
from ...model.module_model import ModuleModel, program_order
from ...parse.syntax import enclosing_scope, enclosing_statement
from ...rules.findings import Finding, Fix, Related, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .splits import in_other_file, text

TEMPORAL_SHUFFLE = Rule(
    code="ML209",
    name="temporal-shuffle",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    red_flag=RED_FLAG,
    summary="Time-ordered data (sorted by, or indexed on, a date column) is split with shuffling.",
    why="A shuffled split of a time series puts rows from the future in the training set and rows "
    "from the past in the test set: the model is scored on interpolating between days it has seen, "
    "not on forecasting, and the score will not hold in production. Split in time order: "
    "`shuffle=False` or `TimeSeriesSplit`.",
    bad="df = df.sort_values(\"date\")\nX_train, X_test, y_train, y_test = train_test_split(X, y)",
    good="df = df.sort_values(\"date\")\nX_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)",
    fix_title="Split in time order (shuffle=False)",
)

DATE_COLUMN = re.compile(r"date|time|^(ds|dt|ts|year|month|week|day|period)$|_(dt|ts)$", re.IGNORECASE)
SHUFFLING_SPLITTERS = frozenset({"ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold",
                                 "RepeatedStratifiedKFold"})
SHUFFLE_OPTIONAL_SPLITTERS = frozenset({"KFold", "StratifiedKFold", "StratifiedGroupKFold"})
MODEL_SELECTION = ("sklearn.model_selection.", "sklearn.cross_validation.")
# Methods whose result keeps the rows of their receiver in the same order.
ORDER_KEEPING = frozenset({
    "drop", "copy", "astype", "fillna", "dropna", "rename", "reset_index", "assign", "to_numpy", "filter",
    "select_dtypes", "interpolate", "ffill", "bfill", "replace", "apply", "pipe", "round", "clip", "shift",
    "diff", "pct_change", "rolling", "join", "merge", "reindex", "query", "head", "tail", "to_frame",
    "reshape", "ravel", "squeeze", "iloc", "loc", "values", "index", "T", "sort_index",
})
MAX_STEPS = 12


@TEMPORAL_SHUFFLE.checker
def check_temporal_shuffle(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if not model.imports_any("pandas") or not model.imports_any("sklearn") or not orders_anything_by_time(model):
        return
    splits = [split for split in lineage_of(model).splits if split.kind in ("random", "cv")
              and not in_other_file(model, split)]
    if not splits:
        return
    history = AssignmentHistory(model)
    for split in splits:
        call = split.node
        shuffled = shuffling(model, history, call) if isinstance(call, ast.Call) else None
        if shuffled is None:
            continue
        for data in split_data(call):
            ordering = history.time_ordering(data, call)
            if ordering is None:
                continue
            chunk, node = ordering
            message = (f"`{text(model, split.chunk, data)}` is in time order ({text(model, chunk, node)}) and "
                       f"this split shuffles it: the model trains on the future of the rows it is tested on; "
                       "split in time order (`shuffle=False` or `TimeSeriesSplit`)")
            fixable = shuffled == "train_test_split" and keyword(call, "stratify") is None and \
                keyword(call, "shuffle") is None and not has_star_kwargs(call)
            finding = rule.finding(model, call, message, chunk=split.chunk, fixable=fixable)
            finding.related.append(Related(model.span(chunk, node), "where the data is put in time order"))
            yield finding
            break


def orders_anything_by_time(model: ModuleModel) -> bool:
    """A cheap first look through the call indexes: is anything sorted or indexed by a date?"""
    return any(orders_by_time(model, call) for _, call in model.method_calls("sort_values", "set_index")) or \
        any(orders_by_time(model, call) for _, call, _ in model.calls_matching(is_pandas_reader))


def is_pandas_reader(qualname: str) -> bool:
    return qualname.startswith("pandas.read_")


def orders_by_time(model: ModuleModel, call: ast.Call) -> bool:
    """`sort_values("date")`, `set_index("timestamp")`, `read_csv(..., index_col="Date", parse_dates=...)`."""
    func = call.func
    if is_pandas_reader(model.call_name(call) or ""):
        index = keyword(call, "index_col")
        return index is not None and keyword(call, "parse_dates") is not None and date_like(index)
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "sort_values":
        by = call.args[0] if call.args else keyword(call, "by")
        return by is not None and date_like(by)
    if func.attr == "set_index":
        return bool(call.args) and date_like(call.args[0])
    return False


def shuffling(model: ModuleModel, history: "AssignmentHistory", call: ast.Call) -> str | None:
    """'train_test_split' or 'splitter' when the split shuffles its rows, else None."""
    name = model.call_name(call) or ""
    if name.startswith(MODEL_SELECTION) and name.endswith(".train_test_split"):
        if has_star_kwargs(call):
            return None
        return "train_test_split" if keyword_constant(call, "shuffle", True) is True else None
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "split"):
        return None
    splitter = history.constructor(call.func.value, call)
    if splitter is None:
        return None
    splitter_name = model.call_name(splitter) or ""
    short = splitter_name.rsplit(".", 1)[-1]
    if not splitter_name.startswith(MODEL_SELECTION) or has_star_kwargs(splitter):
        return None
    if short in SHUFFLING_SPLITTERS or short in SHUFFLE_OPTIONAL_SPLITTERS and \
            keyword_constant(splitter, "shuffle", False) is True:
        return "splitter"
    return None


def split_data(call: ast.Call) -> list[ast.AST]:
    """The data a split cuts: `train_test_split(X, y)`'s arrays, `cv.split(X, y)`'s X and y."""
    return [arg for arg in call.args if not isinstance(arg, ast.Starred)][:2]


def chunk_assignments(tree: ast.AST) -> list:
    """(statement, name, value, scope) of every plain assignment (or in-place pandas call) in a
    chunk's tree, kept on the tree: an unchanged chunk is not walked again on the next keystroke."""
    cached = getattr(tree, "mlreview_assignments", None)
    if cached is not None:
        return cached
    found = []
    for node in statements_of(tree):
        if isinstance(node, ast.Expr):  # `df.sort_values("date", inplace=True)`
            call = node.value
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
                    keyword_constant(call, "inplace") is True and isinstance(call.func.value, ast.Name):
                found.append((node, call.func.value.id, call, enclosing_scope(node)))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            scope = enclosing_scope(node)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                if isinstance(target, ast.Name):
                    found.append((node, target.id, node.value, scope))
    tree.mlreview_assignments = found
    return found


BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def statements_of(tree: ast.AST) -> Iterator[ast.AST]:
    """Every statement of a tree, nested blocks included, without visiting expressions (an
    assignment is a statement: walking every expression node cost most of this rule's time)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for block in BLOCKS:
            children = getattr(node, block, None)
            if isinstance(children, list):  # a lambda's or conditional expression's body is not a block
                stack.extend(children)


class AssignmentHistory:
    """The assignments of each scope in program order: enough to follow a name back to where its
    rows were put in time order (through row-keeping steps such as `drop` or column selection)."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self.by_name: dict[tuple, list] = {}
        for chunk, _ in model.parsed:
            if chunk.tree is None:
                continue
            for statement, name, value, scope in chunk_assignments(chunk.tree):
                key = (id(scope), name)
                self.by_name.setdefault(key, []).append((program_order((chunk, statement)), chunk, value))
        for entries in self.by_name.values():
            entries.sort(key=lambda entry: entry[0])

    def last_value(self, name: str, before: ast.AST):
        """(chunk, value) of the last assignment to `name` in `before`'s scope, before it."""
        chunk = self.model.chunk_of(before)
        order = program_order((chunk, enclosing_statement(before)))
        entries = self.by_name.get((id(enclosing_scope(before)), name), ())
        found = None
        for entry in entries:
            if entry[0] >= order:
                break
            found = entry
        return (found[1], found[2]) if found else None

    def constructor(self, expr: ast.AST, at: ast.AST) -> ast.Call | None:
        if isinstance(expr, ast.Call):
            return expr
        if isinstance(expr, ast.Name):
            found = self.last_value(expr.id, at)
            if found is not None and isinstance(found[1], ast.Call):
                return found[1]
        return None

    def time_ordering(self, data: ast.AST, at: ast.AST):
        """(chunk, node) of the step that put `data`'s rows in time order, else None."""
        chunk, expr = self.model.chunk_of(at), data
        for _ in range(MAX_STEPS):
            ordering, root = self.scan(expr)
            if ordering is not None:
                return chunk, ordering
            if root is None:
                return None
            found = self.last_value(root.id, expr)
            if found is None:
                return None
            chunk, expr = found
        return None

    def scan(self, expr: ast.AST):
        """Walk down a chain of order-keeping steps: (ordering node, None) or (None, root name)."""
        while True:
            if isinstance(expr, ast.Call):
                ordering = orders_by_time(self.model, expr)
                if ordering:
                    return expr, None
                if self.shuffles(expr):
                    return None, None
                func = expr.func
                if not isinstance(func, ast.Attribute) or func.attr not in ORDER_KEEPING:
                    return None, None
                expr = func.value
            elif isinstance(expr, ast.Attribute):
                expr = expr.value
            elif isinstance(expr, ast.Subscript):
                if isinstance(expr.slice, ast.Slice) and expr.slice.step is not None:
                    return None, None
                expr = expr.value
            elif isinstance(expr, ast.Name):
                return None, expr
            else:
                return None, None

    @staticmethod
    def shuffles(call: ast.Call) -> bool:
        return isinstance(call.func, ast.Attribute) and call.func.attr == "sample"


def date_like(node: ast.AST) -> bool:
    """A literal column name (or list of them) whose first entry names a date or time."""
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        node = node.elts[0]
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and DATE_COLUMN.search(node.value) is not None


@TEMPORAL_SHUFFLE.fixer
def fix_temporal_shuffle(text_: str, finding: Finding) -> Fix | None:
    from ...fixes.cst import StatementPatch, set_keyword

    patch = StatementPatch(text_, *finding.data["statement"])
    call = patch.node_at(finding.span)
    if call is None:
        return None
    # The split changes on purpose: the test side becomes the latest rows.
    return Fix("Split in time order (shuffle=False)", (patch.replace(call, set_keyword(call, "shuffle", "False")),),
               applicability="unsafe")
