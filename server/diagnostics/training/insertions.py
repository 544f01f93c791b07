"""Statements inserted before or after a training-loop statement (the ML301 and ML302 fixes)."""

from __future__ import annotations

import ast

from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.positions import Span, byte_to_char_col
from ...rules.findings import Edit


def line_indent(model: ModuleModel, line: int) -> str:
    text = model.line_text(line)
    return text[: len(text) - len(text.lstrip(" \t"))]


def line_ending(model: ModuleModel, line: int) -> str:
    text = model.line_text(line)
    stripped = text.rstrip("\r\n")
    return text[len(stripped):] or "\n"


def insertion_before(model: ModuleModel, chunk: Chunk, stmt: ast.stmt, statements: list[str]) -> list:
    """[line, col, content] inserting `statements` just before `stmt`, in its block."""
    line = chunk.absolute_line(stmt.lineno)
    head = model.line_text(line)[: stmt.col_offset]
    if head.strip():  # `for x in y: stmt` on one line
        return [line, len(head), "".join(f"{code}; " for code in statements)]
    indent, newline = line_indent(model, line), line_ending(model, line)
    return [line, 0, "".join(indent + code + newline for code in statements)]


def insertion_after(model: ModuleModel, chunk: Chunk, stmt: ast.stmt, statements: list[str]) -> list:
    """[line, col, content] inserting `statements` just after `stmt`, in its block."""
    first = chunk.absolute_line(stmt.lineno)
    last = chunk.absolute_line(stmt.end_lineno)
    last_text = model.line_text(last).rstrip("\r\n")
    end_col = byte_to_char_col(last_text, stmt.end_col_offset)
    rest = last_text[end_col:].strip()
    starts_line = not model.line_text(first)[: stmt.col_offset].strip()
    if starts_line and (not rest or rest.startswith("#")):
        indent, newline = line_indent(model, first), line_ending(model, last)
        return [last, len(last_text), "".join(newline + indent + code for code in statements)]
    return [last, end_col, "".join(f"; {code}" for code in statements)]  # `if ready: opt.step()`


def insertion_edit(text_lines: list[str], insertion: list, expected: str) -> Edit | None:
    """The Edit of a stored insertion, if the anchor line still reads `expected`."""
    line, col, content = insertion
    if not (0 < line <= len(text_lines)) or text_lines[line - 1].strip() != expected:
        return None
    return Edit(Span(line, col, line, col), content)
