"""Small questions about call nodes that many rules ask."""

from __future__ import annotations

import ast

_MISSING = object()


class _Unknown:
    """A keyword given as a non-literal expression: its value is not known statically."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def keyword(call: ast.Call, name: str):
    """The value node of keyword `name`, or None when absent."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def has_keyword(call: ast.Call, *names: str) -> bool:
    return any(kw.arg in names for kw in call.keywords)


def has_star_kwargs(call: ast.Call) -> bool:
    """`f(**options)`: any keyword may be in there, so "missing argument" rules stay silent."""
    return any(kw.arg is None for kw in call.keywords)


def constant(node, default=_MISSING):
    """The Python value of a literal node, else `default` (None if not given)."""
    if isinstance(node, ast.Constant):
        return node.value
    return None if default is _MISSING else default


def keyword_constant(call: ast.Call, name: str, default=None):
    """The literal value of keyword `name`; `default` if absent; UNKNOWN if not a literal."""
    value = keyword(call, name)
    if value is None:
        return default
    return value.value if isinstance(value, ast.Constant) else UNKNOWN


def argument(call: ast.Call, position: int, name: str | None = None):
    """Positional argument `position` or keyword `name`, whichever is given."""
    if name is not None:
        value = keyword(call, name)
        if value is not None:
            return value
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def method_name(call: ast.Call) -> str | None:
    """`fit` for `anything.fit(...)`."""
    return call.func.attr if isinstance(call.func, ast.Attribute) else None
