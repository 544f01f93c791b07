"""Every case of every rule case file (tests/rules/, format in its README), the fix
contract of every fixable expected finding, and enough cases for every registered rule."""

from __future__ import annotations

import ast
import re
from collections import Counter

from pathlib import Path

import pytest
from support import (
    REGISTRY,
    RULES_DIR,
    Case,
    all_cases,
    analyse_source,
    apply_edits,
    assert_fix_contract,
    block_text,
    build_fix,
    case_file_of,
    case_files,
    located,
)

CASES = all_cases()
MIN_POSITIVES = MIN_NEGATIVES = 8
PROJECT_EXPECT = re.compile(r"#\s*expect:\s*(ML\d+(?:\s*,\s*ML\d+)*)")


def case_params(cases):
    return [pytest.param(case, id=case.id) for case in cases]


def has_fix(code: str) -> bool:
    return REGISTRY.get(code).fix is not None


@pytest.mark.parametrize("case", case_params(CASES))
def test_case(case: Case):
    """Exactly the marked findings of the file's rules; a rule with a fix offers it unless marked `(no fix)`."""
    source = case.source()
    found = [(located(source, f), f) for f in analyse_source(source, case.settings()).findings if f.code in case.rules]
    assert sorted(place for place, _ in found) == sorted(marker.place for marker in case.expected)
    for marker in case.expected:
        offered = {f.fixable for place, f in found if place == marker.place}
        expected = has_fix(marker.code) and marker.fixable is None
        assert expected in offered, f"{marker.place}: fix offered {offered}, marked {expected}"


FIX_CASES = [pytest.param(case, code, id=f"{case.id} [{code}]")
             for case in CASES if not case.notebook
             for code in sorted({e.code for e in case.expected if e.fixable is None and has_fix(e.code)})]


@pytest.mark.parametrize("case, code", FIX_CASES)
def test_fix_contract(case: Case, code: str):
    assert_fix_contract(case.text, code)


@pytest.mark.parametrize("case", case_params([case for case in CASES if case.fixed is not None]))
def test_fixed_text(case: Case):
    source = case.source()
    found = [f for f in analyse_source(source, case.settings()).findings if f.code in case.rules and f.fixable]
    assert len(found) == 1, f"a `# fixed:` block needs exactly one fixable finding, found {len(found)}"
    fix = build_fix(source.text, found[0])
    assert apply_edits(source.text, fix.edits) == block_text(case.fixed.splitlines())


def test_every_registered_rule_has_a_case_file_with_enough_cases():
    counts: Counter = Counter()
    for case in CASES:
        for rule in case.rules:
            counts[rule, case.positive_for(rule)] += 1
    for rule in REGISTRY:
        path = case_file_of(rule)
        if rule.scope == "project":  # judged over projects: tests/projects/
            positive, negative = project_case_counts(rule.code)
            assert positive >= MIN_POSITIVES, f"{rule.code}: {positive} positive projects"
            assert negative >= MIN_NEGATIVES, f"{rule.code}: {negative} negative projects"
            if not path.exists():  # no file-by-file meaning to test apart
                continue
        assert path.exists(), f"{rule.code}: no case file {path.relative_to(RULES_DIR.parent.parent)}"
        assert counts[rule.code, True] >= MIN_POSITIVES, f"{rule.code}: {counts[rule.code, True]} positive cases"
        assert counts[rule.code, False] >= MIN_NEGATIVES, f"{rule.code}: {counts[rule.code, False]} negative cases"


def project_case_counts(code: str) -> tuple[int, int]:
    """(positive, negative) projects in tests/projects/ (README there) that test `code`."""
    positive = negative = 0
    for marker in sorted((Path(__file__).parent / "projects").glob("*/pyproject.toml")):
        if code not in marker.read_text(encoding="utf-8").splitlines()[0]:
            continue
        files = (path for path in marker.parent.rglob("*") if path.is_file())
        if any(code in re.split(r"\s*,\s*", marked) for path in files
               for marked in PROJECT_EXPECT.findall(path.read_text(encoding="utf-8", errors="replace"))):
            positive += 1
        else:
            negative += 1
    return positive, negative


@pytest.mark.parametrize("path", case_files(), ids=lambda path: path.stem)
def test_case_file_is_python_about_registered_rules(path):
    text = path.read_text(encoding="utf-8")
    ast.parse(text)
    codes = text.splitlines()[0].removeprefix("# rules: ").split(", ")
    rules = [REGISTRY.get(code) for code in codes]
    assert all(rules), f"unknown rule in {codes}"
    assert case_file_of(rules[0]) == path, "a case file is named after its first rule, in that rule's family folder"


def test_every_case_has_a_unique_name():
    ids = Counter(case.id for case in CASES)
    assert [case_id for case_id, count in ids.items() if count > 1] == []
