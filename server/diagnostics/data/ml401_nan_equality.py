"""ML401 nan-equality."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...rules.findings import Edit, Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE, RED_FLAG
from .pandas_kinds import span_list, text_in

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


def is_nan_constant(model: ModuleModel, expr: ast.AST, nan_aliases: set[str]) -> bool:
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


def module_alias(model: ModuleModel, module: str) -> str | None:
    """The name `module` is imported as (`pd` for `import pandas as pd`), if any."""
    for fact in model.import_facts:
        if fact.qualname == module:
            return fact.alias
    return None


@NAN_EQUALITY.checker
def check_nan_equality(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
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


def nan_finding(model: ModuleModel, rule: Rule, chunk: Chunk, compare: ast.Compare, other: ast.AST, negated: bool, pandas_na: bool):
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
def fix_nan_equality(text: str, finding: Finding) -> Fix | None:
    operand = text_in(text, Span(*finding.data["operand"]))
    new = finding.data["replacement"].format(operand)
    return Fix(f"Replace with `{new}`", (Edit(finding.span, new),))
