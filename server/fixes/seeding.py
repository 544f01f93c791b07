"""Where seeding code goes: a SEED constant and calls "after the imports"."""

from __future__ import annotations

import ast
from functools import lru_cache

from ..facts.rng_seeding import SEED_NAMES, could_be_seed
from ..parse.chunks import chunk_document, split_lines
from ..parse.positions import Span
from ..rules.findings import Edit


@lru_cache(maxsize=4)
def module_layout(text: str) -> "ModuleLayout":
    """The layout of `text`, built once for all the fixes of one document (each re-chunks it)."""
    return ModuleLayout(text)


class ModuleLayout:
    """The top-level statements of a document (even one that does not fully parse); read-only
    once built, so one layout serves every fix of a text."""

    def __init__(self, text: str):
        self.lines = split_lines(text)
        self.statements: list[tuple[ast.stmt, int, int]] = []  # (stmt, first, last line)
        for chunk in chunk_document(self.lines):
            if chunk.tree is None:
                continue
            for stmt in chunk.tree.body:
                first = chunk.absolute_line(stmt.decorator_list[0].lineno if getattr(stmt, "decorator_list", None) else stmt.lineno)
                self.statements.append((stmt, first, chunk.absolute_line(stmt.end_lineno)))

    def seed_constant(self) -> tuple[str, int] | None:
        """(name, last line) of a module-level SEED-like constant."""
        for stmt, _, last in self.statements:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
            for target in targets:
                is_seed = isinstance(target, ast.Name) and SEED_NAMES.match(target.id)
                if is_seed and could_be_seed(stmt.value):
                    return target.id, last
        return None

    def imports_end(self, binding: str | None = None) -> int:
        """Last line of the leading imports (or of the import binding `binding`); 0 if none."""
        end = 0
        leading = True
        for stmt, _, last in self.statements:
            is_import = isinstance(stmt, (ast.Import, ast.ImportFrom))
            is_docstring = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and end == 0
            if leading and (is_import or is_docstring):
                end = last
            elif not is_import:
                leading = False
            if is_import and binding and any((a.asname or a.name.split(".")[0]) == binding for a in stmt.names):
                end = max(end, last)
        return end

    def insertion_after(self, line: int) -> Edit:
        """An empty edit at the end of `line` (so a notebook cell keeps it); 0 = file start."""
        if line == 0:
            return Edit(Span(1, 0, 1, 0), "")
        text = self.lines[line - 1].rstrip("\r\n")
        return Edit(Span(line, len(text), line, len(text)), "")

    def insert_after(self, line: int, code: str, blank_line: bool = False) -> Edit:
        """`code` on new lines after `line`; `blank_line` separates it (after imports, as PEP 8 has it)."""
        anchor = self.insertion_after(line)
        content = code + "\n" if line == 0 else "\n" * (1 + blank_line) + code
        return Edit(anchor.span, content)


def seed_name_and_edits(layout: ModuleLayout, value: str = "42") -> tuple[str, list[Edit], int]:
    """The SEED constant to use, the edits defining it if missing, and the line after which it exists."""
    existing = layout.seed_constant()
    if existing:
        return existing[0], [], existing[1]
    end = layout.imports_end()
    return "SEED", [layout.insert_after(end, f"SEED = {value}", blank_line=end > 0)], end
