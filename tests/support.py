"""Helpers shared by the rule tests: run the engine, check the fix contract."""

from __future__ import annotations

import ast
import textwrap
from collections import Counter

from mlreview.engine import analyse_text
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits, fix_document
from mlreview.rules.config import Settings


def findings(source: str, select: str | None = None):
    source = textwrap.dedent(source)
    settings = Settings(select=(select,)) if select else Settings()
    return analyse_text(source, settings).findings


def codes(source: str, select: str | None = None) -> list[tuple[str, int]]:
    """[(code, line)] of the findings in `source` (dedented)."""
    return [(f.code, f.span.line) for f in findings(source, select)]


def fix_all(source: str) -> str:
    text, _ = fix_document(source, lambda t: analyse_text(t).findings, build_fix)
    return text


def assert_fix_contract(source: str, code: str) -> list[str]:
    """Every fixable `code` finding: the fixed text parses, that finding is gone,
    nothing new fires, and fixing again changes nothing. Returns the fixed texts."""
    source = textwrap.dedent(source)
    before = analyse_text(source).findings
    targets = [f for f in before if f.code == code and f.fixable]
    assert targets, f"no fixable {code} finding in:\n{source}"
    results = []
    for finding in targets:
        fix = build_fix(source, finding)
        assert fix is not None, f"{code} at line {finding.span.line}: no fix built"
        fixed = apply_edits(source, fix.edits)
        ast.parse(fixed)
        after = analyse_text(fixed).findings
        assert Counter(f.code for f in after if f.code == code) < Counter(f.code for f in before if f.code == code), \
            f"{code} still fires after its fix:\n{fixed}"
        new = Counter(f.code for f in after) - Counter(f.code for f in before)
        assert not new, f"the {code} fix made new findings {dict(new)}:\n{fixed}"
        results.append(fixed)
    once = fix_all(source)
    ast.parse(once)
    assert fix_all(once) == once, "fixing twice changed the text again"
    return results
