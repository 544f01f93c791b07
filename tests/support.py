"""The rule-test harness: case files (format in tests/rules/README.md), the engine, the fix contract.

Every `mlreview` import of the rule tests lives here, so moving an engine module
changes this file only.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mlreview import engine
from mlreview.diagnostics import REGISTRY  # noqa: F401 (re-exported)
from mlreview.engine import DocumentAnalyzer  # noqa: F401 (re-exported)
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits
from mlreview.fixes.pipeline import fix_all as fix_all_source
from mlreview.parse.source import SourceText, notebook_source
from mlreview.rules.config import Settings
from mlreview.rules.findings import Severity  # noqa: F401 (re-exported)

RULES_DIR = Path(__file__).parent / "rules"

CASE = re.compile(r"^# case: (.+)$")
SELECT = re.compile(r"^# select: (.+)$")
CELL = re.compile(r"^# cell\s*$")
FIXED = re.compile(r"^# fixed:\s*$")
EXPECT = re.compile(r"\s*# expect: (.+?)\s*$")
EXPECTED_CODE = re.compile(r"^(ML\d{3})( \(no fix\))?$")


# ----- engine helpers for the plain tests ------------------------------------------------------

# Rule tests run every rule, the opt-in ones too (a selector naming each code turns it on).
EVERY_RULE = Settings(select=tuple(rule.code for rule in REGISTRY))


def analyse_source(source: SourceText, settings: Settings | None = None, path: str | None = None, **kwargs):
    return engine.analyse_source(source, settings or EVERY_RULE, path, **kwargs)


def analyse_text(text: str, settings: Settings | None = None, path: str | None = None, **kwargs):
    return engine.analyse_text(text, settings or EVERY_RULE, path, **kwargs)



def findings(source: str, select: str | None = None, settings: Settings | None = None):
    """The findings of a script (dedented); `select` is a code or prefix, as in the config."""
    if settings is None:
        settings = Settings(select=(select,)) if select else EVERY_RULE
    return analyse_text(textwrap.dedent(source), settings).findings


def codes(source: str, select: str | None = None) -> list[tuple[str, int]]:
    """[(code, line)] of the findings of a script (dedented)."""
    return [(f.code, f.span.line) for f in findings(source, select)]


def only(source: str, code: str):
    """The single `code` finding of a script (dedented)."""
    [finding] = [f for f in findings(source, code) if f.code == code]
    return finding


def fix_all(source: str) -> str:
    """The script (dedented) after `mlreview check --fix`: safe fixes, repeated until stable."""
    return fix_all_source(SourceText(textwrap.dedent(source)), EVERY_RULE).source.text


def notebook(*cells: str, title: bool = False) -> SourceText:
    """A notebook of code cells (each dedented), read through the .ipynb front end;
    `title`: a markdown cell first, so code cells are numbered from 2 (cells count all kinds)."""
    nb_cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]}] if title else []
    nb_cells += [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                  "source": textwrap.dedent(cell).splitlines(keepends=True)} for cell in cells]
    return notebook_source(json.dumps({"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def notebook_file(path: Path) -> SourceText:
    return notebook_source(path.read_text(encoding="utf-8"))


def located(source: SourceText, found) -> tuple[str, int | None, int]:
    """(code, cell, row in cell) of a finding; cell is None outside notebooks."""
    cell = source.cell_at(found.span.line)
    if cell is None:
        return found.code, None, found.span.line
    return found.code, cell.index, found.span.line - cell.first_line + 1


def find(source: SourceText, code: str, settings: Settings | None = None) -> list:
    """The `code` findings of a source (script or notebook)."""
    return [f for f in analyse_source(source, settings).findings if f.code == code]


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
        text = apply_edits(source, fix.edits)
        ast.parse(text)
        after = analyse_text(text).findings
        assert Counter(f.code for f in after if f.code == code) < Counter(f.code for f in before if f.code == code), \
            f"{code} still fires after its fix:\n{text}"
        new = Counter(f.code for f in after) - Counter(f.code for f in before)
        assert not new, f"the {code} fix made new findings {dict(new)}:\n{text}"
        results.append(text)
    once = fix_all(source)
    ast.parse(once)
    assert fix_all(once) == once, "fixing twice changed the text again"
    return results


# ----- case files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    code: str
    cell: int | None  # None outside notebooks
    row: int  # the line in the script, or in the cell
    fixable: bool | None  # False: marked `(no fix)`; None: not stated

    @property
    def place(self) -> tuple[str, int | None, int]:
        return self.code, self.cell, self.row


@dataclass
class Case:
    path: Path
    name: str
    rules: tuple[str, ...]
    select: tuple[str, ...] = ()
    cells: list[list[str]] = field(default_factory=list)  # one list of lines for a script
    notebook: bool = False
    expected: list[Expected] = field(default_factory=list)
    fixed: str | None = None

    @property
    def id(self) -> str:
        return f"{self.path.stem}: {self.name}"

    @property
    def text(self) -> str:
        """The script's text, or the notebook's cells joined (as the engine sees them)."""
        return self.source().text

    def source(self) -> SourceText:
        texts = [block_text(lines) for lines in self.cells]
        return notebook(*texts) if self.notebook else SourceText(texts[0])

    def settings(self) -> Settings:
        return Settings(select=self.select) if self.select else EVERY_RULE

    def positive_for(self, rule: str) -> bool:
        return any(e.code == rule for e in self.expected)


def block_text(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines) + "\n"


def case_file_of(rule) -> Path:
    """tests/rules/<family>/<code>_<name>.py, the family being the rule's package under diagnostics/."""
    family = rule.check.__module__.removeprefix("mlreview.diagnostics.").split(".")[0]
    return RULES_DIR / family / f"{rule.code.lower()}_{rule.name.replace('-', '_')}.py"


def case_files() -> list[Path]:
    return sorted(RULES_DIR.glob("*/ml*.py"))


def load_cases(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("# rules: "), f"{path}: the first line must be `# rules: ...`"
    rules = tuple(code.strip() for code in lines[0].removeprefix("# rules: ").split(","))
    cases: list[Case] = []
    for line_number, line in enumerate(lines[1:], start=2):
        match = CASE.match(line)
        if match:
            cases.append(Case(path, match.group(1).strip(), rules, cells=[[]]))
        elif cases:
            read_line(cases[-1], line)
        else:
            assert not line.strip(), f"{path}:{line_number}: text before the first `# case:`"
    return cases


def read_line(case: Case, line: str) -> None:
    """One line of a case: a directive, a line of the fixed text or a source line with its markers."""
    if case.fixed is not None:
        case.fixed += line + "\n"
    elif FIXED.match(line):
        case.fixed = ""
    elif match := SELECT.match(line):
        case.select = tuple(code.strip() for code in match.group(1).split(","))
    elif CELL.match(line):
        if case.notebook:
            case.cells.append([])
        else:
            assert not any(s.strip() for s in case.cells[0]), f"{case.id}: code before the first `# cell`"
            case.notebook, case.cells = True, [[]]
    else:
        match = EXPECT.search(line)
        if match:
            line = line[:match.start()]
            cell = len(case.cells) if case.notebook else None
            row = len(case.cells[-1]) + 1
            case.expected += [expected_code(case, item, cell, row) for item in match.group(1).split(",")]
        case.cells[-1].append(line)


def expected_code(case: Case, item: str, cell: int | None, row: int) -> Expected:
    match = EXPECTED_CODE.match(item.strip())
    assert match, f"{case.id}: malformed marker `{item.strip()}`"
    assert match.group(1) in case.rules, f"{case.id}: {match.group(1)} is not among the file's `# rules:`"
    return Expected(match.group(1), cell, row, False if match.group(2) else None)


def all_cases() -> list[Case]:
    return [case for path in case_files() for case in load_cases(path)]
