"""Seed keywords and the fixes that add them, shared by the ML1 rules."""

from __future__ import annotations

import ast

from ...facts.rng_seeding import NUMPY, Seeding
from ...rules.findings import Fix


def numpy_seeded(model) -> bool:
    return model.imports_any("numpy") and Seeding(model).seeded_somewhere(NUMPY)


def add_seed_keyword(text: str, finding, keyword_name: str) -> Fix | None:
    """Add `keyword_name=SEED` to the call the finding covers, defining SEED if needed."""
    from ...fixes.cst import StatementPatch, with_keyword
    from ...fixes.seeding import ModuleLayout, seed_name_and_edits

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span)
    if call is None:
        return None
    seed, seed_edits, _ = seed_name_and_edits(ModuleLayout(text))
    edit = narrowed(text, patch.replace(call, with_keyword(call, keyword_name, seed)))
    return Fix(f"Add {keyword_name}={seed}", (edit, *seed_edits))


def keyword_fix_data(seed_constant, chunk, call: ast.Call) -> dict:
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
