"""Every fixable finding we can find, fixed: the contract holds and fix-all converges.

For each fixable finding in examples/, in the source snippets of the rule tests
and in scikit-learn's examples: the fix builds, the fixed code parses, that
finding is gone, nothing new fires. Fix-all reaches a fixed point in at most 3
passes and a further fix-all changes nothing.
"""

from __future__ import annotations

import ast
import json
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, example_scripts
from mlreview.engine import DocumentAnalyzer, analyse_source, analyse_text
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits, fix_document
from mlreview.fixes.notebook import apply_to_cells, edit_cell, fix_source
from mlreview.parse.source import SourceText, decode_source

MAX_PASSES = 3


def fixable(findings):
    return [f for f in findings if f.fixable]


def contract_violations(source: SourceText, label: str) -> tuple[list[str], int]:
    """(what went wrong, how many fixable findings were checked) for one document."""
    problems: list[str] = []
    # One analyzer for the document and all its fixed versions: each re-analysis re-parses
    # only what the fix touched, as the language server does.
    analyzer = DocumentAnalyzer()
    before = analyzer.analyse(source).findings
    targets = fixable(before)
    for finding in targets:
        where = f"{label}:{finding.span.line} {finding.code}"
        fix = build_fix(source.text, finding)
        if fix is None:
            problems.append(f"{where}: marked fixable but no fix was built")
            continue
        if source.is_notebook:
            if not all(edit_cell(source, edit) for edit in fix.edits):
                problems.append(f"{where}: its fix edits across notebook cells")
                continue
            fixed = apply_to_cells(source, fix.edits)
        else:
            fixed = SourceText(apply_edits(source.text, fix.edits))
        try:
            ast.parse(fixed.text)
        except SyntaxError as exc:
            problems.append(f"{where}: the fixed code does not parse ({exc.msg}):\n{fixed.text}")
            continue
        after = analyzer.analyse(fixed).findings
        if Counter(f.code for f in after)[finding.code] >= Counter(f.code for f in before)[finding.code]:
            problems.append(f"{where}: still reported after its fix")
        new = Counter(f.code for f in after) - Counter(f.code for f in before)
        if new:
            problems.append(f"{where}: its {fix.applicability} fix made new findings {dict(new)}")
    if targets:
        problems.extend(f"{label}: {p}" for p in fix_all_problems(source))
    return problems, len(targets)


def fix_all_problems(source: SourceText) -> list[str]:
    once, _ = fix_source(source, max_passes=MAX_PASSES)
    again, count = fix_source(once, max_passes=1)
    problems = []
    if count:
        problems.append(f"fix-all had not converged after {MAX_PASSES} passes ({count} more fixes applied)")
    if again.text != once.text:
        problems.append("a second fix-all changed the text")
    try:
        ast.parse(once.text)
    except SyntaxError as exc:
        problems.append(f"fix-all produced code that does not parse: {exc.msg}")
    if source.is_notebook:
        json.dumps(once.notebook)  # still a serialisable notebook
    # The plain-text entry point must agree with the notebook-aware one on a .py file.
    if not source.is_notebook:
        text, _ = fix_document(source.text, lambda t: analyse_text(t).findings, build_fix, MAX_PASSES)
        if text != once.text:
            problems.append("fix_document and fix_source disagree")
    return problems


# ----- examples/ ------------------------------------------------------------------------------


def example_documents() -> list[Path]:
    return example_scripts() + sorted(EXAMPLES.glob("*.ipynb"))


@pytest.mark.parametrize("path", example_documents(), ids=lambda p: p.name)
def test_fixes_converge_on_examples(path):
    source = decode_source(path.read_bytes(), notebook=path.suffix == ".ipynb")
    problems, checked = contract_violations(source, path.name)
    assert not problems, "\n".join(problems)


def test_examples_have_fixable_findings_at_all():
    total = sum(len(fixable(analyse_source(decode_source(p.read_bytes(), p.suffix == ".ipynb")).findings))
                for p in example_documents())
    assert total >= 5, "the showcase project should exercise the fixes"


# ----- the snippets of the rule tests -----------------------------------------------------------


def snippets_with_fixable_findings() -> list[tuple[str, str]]:
    """Every string literal in tests/ (and tests/leakage_cases/*.py) that parses and has a fixable finding."""
    found: dict[str, str] = {}
    files = sorted((ROOT / "tests").glob("test_*.py")) + sorted((ROOT / "tests" / "leakage_cases").glob("*.py"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        candidates = [text] if path.parent.name == "leakage_cases" else [
            node.value for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" in node.value.strip()
        ]
        for candidate in candidates:
            snippet = textwrap.dedent(candidate)
            try:
                ast.parse(snippet)
            except (SyntaxError, ValueError):
                continue
            if snippet not in found and fixable(analyse_text(snippet).findings):
                found[snippet] = f"{path.name}"
    return [(label, snippet) for snippet, label in found.items()]


SNIPPETS = snippets_with_fixable_findings()


def test_rule_tests_provide_many_fixable_snippets():
    assert len(SNIPPETS) >= 20


@pytest.mark.parametrize("label, snippet", SNIPPETS, ids=[f"{label}-{i}" for i, (label, _) in enumerate(SNIPPETS)])
def test_fixes_converge_on_rule_test_snippets(label, snippet):
    problems, checked = contract_violations(SourceText(snippet), label)
    assert checked and not problems, "\n".join(problems) + f"\n--- snippet ---\n{snippet}"


# ----- scikit-learn's examples --------------------------------------------------------------------


@pytest.mark.slow
def test_fixes_converge_on_sklearn_examples(sklearn_files):
    problems: list[str] = []
    checked = 0

    for path in sklearn_files:
        source = decode_source(path.read_bytes())
        if not fixable(analyse_source(source).findings):
            continue
        found, count = contract_violations(source, path.name)
        problems.extend(found)
        checked += count
    print(f"\n{checked} fixable findings checked in scikit-learn's examples")
    assert checked >= 1
    assert not problems, "\n".join(problems)
