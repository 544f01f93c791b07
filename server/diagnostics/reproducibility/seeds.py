"""Seed keywords and the fixes that add them, shared by the ML1 rules."""

from __future__ import annotations

import ast

from ...facts.rng_seeding import NUMPY, SeedConstant, in_function, looks_like_seeding, seeding_of
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...rules.findings import Finding, Fix


def numpy_seeded(model: ModuleModel) -> bool:
    return model.imports_any("numpy") and seeding_of(model).seeded_somewhere(NUMPY)


def add_seed_keyword(text: str, finding: Finding, keyword_name: str) -> Fix | None:
    """Add `keyword_name=SEED` to the call the finding covers, defining SEED if needed."""
    from ...fixes.cst import StatementPatch, with_keyword
    from ...fixes.seeding import module_layout, seed_name_and_edits

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span)
    if call is None:
        return None
    seed, seed_edits, _ = seed_name_and_edits(module_layout(text))
    edit = narrowed(text, patch.replace(call, with_keyword(call, keyword_name, seed)))
    return Fix(f"Add {keyword_name}={seed}", (edit, *seed_edits))


def keyword_fix_data(seed_constant, chunk: Chunk, call: ast.Call) -> dict:
    """No fix when an existing SEED constant is only defined below this module-level call."""
    return {} if seed_constant.usable_at(chunk, call) else {"fixable": False}


def narrowed(text: str, edit):
    """The same change as `edit`, cut down to the characters that differ: the fixes of several
    calls in one statement (a list of estimators) then do not overlap and apply in one pass."""
    from bisect import bisect_right

    from ...fixes.edits import line_starts, to_offset
    from ...parse.positions import Span
    from ...rules.findings import Edit

    starts = line_starts(text)
    start = to_offset(starts, text, edit.span.line, edit.span.col)
    end = to_offset(starts, text, edit.span.end_line, edit.span.end_col)
    old, new = text[start:end], edit.content
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1

    def line_col(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1]

    return Edit(Span(*line_col(start + prefix), *line_col(end - suffix)), new[prefix:len(new) - suffix])


def seed_call_data(seed_constant: SeedConstant, chunk: Chunk, node: ast.AST, code: str | None, binding: str | None,
                   import_code: str | None = None) -> dict:
    """Finding data for `insert_seed_call`: `code` holds `{seed}`; None means no fix."""
    if code is None or not seed_constant.usable_at(chunk, node, binding):
        return {"fixable": False}
    return {"seed_code": code, "binding": binding, "import_code": import_code, "in_function": in_function(node)}


def insert_seed_call(text: str, finding: Finding) -> Fix | None:
    """Insert the seeding call after the imports, the SEED constant (defined if missing) and
    any seeding calls that already follow it."""
    from ...fixes.seeding import module_layout, seed_name_and_edits
    from ...rules.findings import Edit

    data = finding.data
    layout = module_layout(text)
    seed, seed_edits, seed_line = seed_name_and_edits(layout)
    code = data["seed_code"].format(seed=seed)
    if data.get("import_code"):
        code = data["import_code"] + "\n" + code
    binding = first_binding_end(layout, data["binding"]) if data.get("binding") else 0
    after = after_seeding_calls(layout, max(layout.imports_end(), binding, seed_line))
    if not data["in_function"] and after >= finding.span.line:
        return None  # the call could not come before the use it must precede
    call_edit = layout.insert_after(after, code)
    if seed_edits and seed_edits[0].span == call_edit.span:  # one insertion: SEED first, then the call
        edits = (Edit(call_edit.span, seed_edits[0].content + call_edit.content),)
    else:
        edits = (*seed_edits, call_edit)
    return Fix(f"Insert `{code.splitlines()[-1]}` after the imports", edits)


def first_binding_end(layout, alias: str) -> int:
    """Last line of the first top-level import binding `alias` (a notebook may import it again later)."""
    for stmt, _, last in layout.statements:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.split(".")[0]) == alias for a in stmt.names
        ):
            return last
    return 0


def after_seeding_calls(layout, line: int) -> int:
    """The last line of the seeding calls (`np.random.seed(SEED)`, ...) that directly follow `line`."""
    for stmt, first, last in layout.statements:
        if first == line + 1 and is_seeding_statement(stmt):
            line = last
    return line


def is_seeding_statement(stmt: ast.stmt) -> bool:
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return looks_like_seeding(name)
