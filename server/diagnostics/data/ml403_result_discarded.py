"""ML403 result-discarded."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...model.calls import has_star_kwargs, keyword_constant
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...parse.syntax import ancestors, dotted_name, parent
from ...rules.findings import Edit, Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .pandas_kinds import OTHER, PandasKinds

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
def check_result_discarded(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
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
        if is_displayed(model, chunk, statement) or probes_for_key_error(statement):
            continue
        name = dotted_name(receiver)
        data = {"target": name} if name else {"fixable": False}
        yield rule.finding(model, call, f"`.{method}()` returns a new object and the result is thrown "
                           f"away: assign it (`{name or 'df'} = {name or 'df'}.{method}(...)`)",
                           chunk=chunk, **data)


def discards_new_object(model: ModuleModel, statement: ast.Expr) -> bool:
    call = statement.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in RETURNS_NEW):
        return False
    if has_star_kwargs(call) or keyword_constant(call, "inplace", False) is not False:
        return False  # inplace=True (or maybe True) changes the object itself
    return model.resolve(call.func) is None  # `np.clip(...)` is a module function, not a method


def probes_for_key_error(statement: ast.Expr) -> bool:
    """`try: df.drop(columns=["x"])` / `except KeyError:`: the call is a test that the labels
    exist, its result is not wanted."""
    node = statement
    for up in ancestors(statement):
        if isinstance(up, (ast.Try, getattr(ast, "TryStar", ast.Try))) and node in up.body:
            if any(catches_key_error(handler.type) for handler in up.handlers):
                return True
        if isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        node = up
    return False


def catches_key_error(caught: ast.expr | None) -> bool:
    if isinstance(caught, ast.Tuple):
        return any(catches_key_error(element) for element in caught.elts)
    return dotted_name(caught) in ("KeyError", "builtins.KeyError", "LookupError") if caught is not None else False


def is_displayed(model: ModuleModel, chunk: Chunk, statement: ast.Expr) -> bool:
    """The last top-level expression of a notebook cell is shown, not thrown away."""
    if not isinstance(parent(statement), ast.Module):
        return False
    if not model.source.is_notebook:
        return ends_exported_cell(model, chunk, statement)
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


def ends_exported_cell(model: ModuleModel, chunk: Chunk, statement: ast.Expr) -> bool:
    """A script exported from a notebook (`# In[3]:` markers, or bare `df` / `df.shape` lines that
    only a notebook displays) whose statement ends a cell: two blank lines or a marker follow it."""
    if not exported_from_notebook(model):
        return False
    lines = model.source.text.splitlines()
    following = lines[chunk.absolute_line(statement.end_lineno):][:3]
    return following[:2] == ["", ""] or any(line.startswith("# In[") for line in following) \
        or len(following) < 2 and not any(line.strip() for line in following)


def exported_from_notebook(model: ModuleModel) -> bool:
    return "\n# In[" in model.source.text or any(
        isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Attribute, ast.Subscript))
        for chunk, _ in model.parsed for node in chunk.tree.body)


@RESULT_DISCARDED.fixer
def fix_result_discarded(text: str, finding: Finding) -> Fix | None:
    target = finding.data["target"]
    span = finding.span
    return Fix(f"Assign the result back to `{target}`",
               (Edit(Span(span.line, span.col, span.line, span.col), f"{target} = "),))
