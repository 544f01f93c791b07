"""Which expressions hold pandas objects (PandasKinds), and the span helpers the ML4 fixes share."""

from __future__ import annotations

import ast

from ...model.bindings import name_bindings
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span
from ...parse.syntax import dotted_name

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

    def __init__(self, model: ModuleModel):
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

    def kind(self, chunk: Chunk, expr: ast.AST) -> str | None:
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

    def _name_kind(self, chunk: Chunk, name: ast.Name) -> str | None:
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

    def _attribute_kind(self, chunk: Chunk, attribute: ast.Attribute) -> str | None:
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

    def _call_kind(self, chunk: Chunk, call: ast.Call) -> str | None:
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


def span_list(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]


def text_in(text: str, span: Span) -> str:
    """The document text a span covers."""
    from ...fixes.edits import line_starts, to_offset

    starts = line_starts(text)
    return text[to_offset(starts, text, span.line, span.col): to_offset(starts, text, span.end_line, span.end_col)]
