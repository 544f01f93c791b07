"""ML2 data-leakage rules: table-driven cases (tests/leakage_cases/), notebooks, fixes, the engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support import assert_fix_contract, codes, findings

CASES_DIR = Path(__file__).parent / "leakage_cases"
CASE = re.compile(r"^# case: (.*)$")
EXPECT = re.compile(r"# expect: (ML\d{3}(?:, ML\d{3})*)\s*$")


def load_cases():
    """(id, rules, source, expected [(code, line)]) for every case of every case file."""
    cases = []
    for path in sorted(CASES_DIR.glob("*.py")):
        lines = path.read_text().splitlines()
        rules = lines[0].removeprefix("# rules:").replace(" ", "").split(",")
        current, name = [], None
        for line in lines[1:] + ["# case: <end>"]:
            match = CASE.match(line)
            if match:
                if name is not None:
                    cases.append(make_case(path.stem, name, rules, current))
                name, current = match.group(1), []
            else:
                current.append(line)
    return cases


def make_case(stem, name, rules, lines):
    expected = []
    for number, line in enumerate(lines, start=1):
        match = EXPECT.search(line)
        if match:
            expected += [(code.strip(), number) for code in match.group(1).split(",")]
    return pytest.param(rules, "\n".join(lines) + "\n", sorted(expected), id=f"{stem}: {name}")


CASES = load_cases()


@pytest.mark.parametrize("rules, source, expected", CASES)
def test_case(rules, source, expected):
    found = sorted((code, line) for code, line in codes(source) if code in rules)
    assert found == expected


def test_every_rule_has_enough_positive_and_negative_cases():
    counts = {}
    for param in CASES:
        rules, source, expected = param.values
        for rule in rules:
            positive = any(code == rule for code, _ in expected)
            key = (rule, positive)
            counts[key] = counts.get(key, 0) + 1
    for rule in ("ML201", "ML202", "ML203", "ML204", "ML206", "ML207"):
        assert counts.get((rule, True), 0) >= 8, f"{rule}: positives {counts.get((rule, True), 0)}"
        assert counts.get((rule, False), 0) >= 8, f"{rule}: negatives {counts.get((rule, False), 0)}"
