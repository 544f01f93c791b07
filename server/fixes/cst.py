"""libcst on the smallest enclosing statement: parse a few lines, change a node, emit one edit.

An indented statement is parsed inside a dummy `if True:` block so that its
own indentation (and everything else about its formatting) is preserved.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..parse.chunks import split_lines
from ..parse.positions import Span
from ..rules.findings import Edit

WRAPPER = "if True:\n"


class StatementPatch:
    """Lines [first, last] (1-based, whole lines) of a document, parsed with libcst."""

    def __init__(self, text: str, first: int, last: int):
        self.lines = split_lines(text)
        self.first, self.last = first, last
        code = "".join(self.lines[first - 1: last])
        if not code.endswith(("\n", "\r")):
            code += "\n"
        self.wrapped = bool(code[:1].isspace())
        self.module = cst.parse_module(WRAPPER + code if self.wrapped else code)
        self._positions = None

    def position(self, node: cst.CSTNode):
        if self._positions is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(PositionProvider)
        return self._positions[node]

    def node_at(self, span: Span, node_type: type = cst.Call) -> cst.CSTNode | None:
        """The node of `node_type` exactly covering a document span."""
        shift = self.first - 1 - (1 if self.wrapped else 0)
        want = ((span.line - shift, span.col), (span.end_line - shift, span.end_col))
        found = None

        class Finder(cst.CSTVisitor):
            def on_visit(inner, node: cst.CSTNode) -> bool:
                nonlocal found
                if isinstance(node, node_type):
                    pos = self.position(node)
                    if ((pos.start.line, pos.start.column), (pos.end.line, pos.end.column)) == want:
                        found = node
                return found is None

        self.module.visit(Finder())
        return found

    def replace(self, old: cst.CSTNode, new: cst.CSTNode) -> Edit:
        return self.edit_for(self.module.deep_replace(old, new))

    def edit_for(self, module: cst.Module) -> Edit:
        code = module.code[len(WRAPPER):] if self.wrapped else module.code
        original_last = self.lines[self.last - 1]
        end_col = len(original_last.rstrip("\r\n"))
        code = code[:-2] if code.endswith("\r\n") else code[:-1] if code.endswith("\n") else code
        return Edit(Span(self.first, 0, self.last, end_col), code)


def with_keyword(call: cst.Call, name: str, value_code: str) -> cst.Call:
    """`call` with `name=value` appended to its arguments, following the call's layout
    (one line; arguments on their own lines with a trailing comma; or a closing paren on its own line)."""
    arg = cst.Arg(
        keyword=cst.Name(name),
        value=cst.parse_expression(value_code),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[arg])
    last = args[-1]
    space, nothing = cst.SimpleWhitespace(" "), cst.SimpleWhitespace("")
    if last.comma is cst.MaybeSentinel.DEFAULT:
        # `f(a\n)`: the line break before `)` moves behind the new argument.
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=space), whitespace_after_arg=nothing)
        arg = arg.with_changes(whitespace_after_arg=last.whitespace_after_arg)
    elif isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace):
        # One argument per line with a trailing comma: a new line, indented like the others.
        closing = last.comma.whitespace_after
        has_previous = len(args) > 1 and args[-2].comma is not cst.MaybeSentinel.DEFAULT
        separator = args[-2].comma.whitespace_after if has_previous else call.whitespace_before_args
        indent = separator.last_line if isinstance(separator, cst.ParenthesizedWhitespace) else nothing
        args[-1] = last.with_changes(comma=last.comma.with_changes(
            whitespace_after=closing.with_changes(last_line=indent)))
        arg = arg.with_changes(comma=cst.Comma(
            whitespace_after=cst.ParenthesizedWhitespace(last_line=closing.last_line)))
    elif last.comma.whitespace_after.deep_equals(nothing):
        args[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=space))
    return call.with_changes(args=[*args, arg])


def set_keyword(call: cst.Call, name: str, value_code: str) -> cst.Call:
    """`call` with keyword `name` set to `value` (replaced if present)."""
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == name:
            args = list(call.args)
            args[index] = arg.with_changes(value=cst.parse_expression(value_code))
            return call.with_changes(args=args)
    return with_keyword(call, name, value_code)
