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


# ----- notebooks -----------------------------------------------------------------------------


def notebook(*cells: str) -> str:
    """A notebook JSON with a markdown cell first and then the given code cells."""
    nb_cells = [{"cell_type": "markdown", "source": ["# Title\n"], "metadata": {}}]
    for source in cells:
        lines = source.strip("\n").split("\n")
        nb_cells.append({"cell_type": "code", "source": [line + "\n" for line in lines[:-1]] + lines[-1:],
                         "metadata": {}, "outputs": [], "execution_count": None})
    return json.dumps({"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def notebook_findings(raw: str, select: str = "ML2"):
    from mlreview.engine import analyse_source
    from mlreview.parse.source import notebook_source
    from mlreview.rules.config import Settings

    source = notebook_source(raw)
    result = analyse_source(source, Settings(select=(select,)))
    located = []
    for finding in result.findings:
        cell = source.cell_at(finding.span.line)
        located.append((finding.code, cell.index, finding.span.line - cell.first_line + 1))
    return sorted(located), result.findings, source


IMPORTS_CELL = """
import pandas as pd
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""


def test_notebook_fit_in_one_cell_split_in_a_later_cell():
    raw = notebook(
        IMPORTS_CELL,
        'df = pd.read_csv("data.csv")\nX = df[["a", "b"]]\ny = df["target"]',
        "scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)",
        "print(X_scaled.shape)",
        "X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)",
    )
    located, found, source = notebook_findings(raw)
    assert located == [("ML201", 4, 2)]
    related = found[0].related[0]
    assert source.cell_at(related.span.line).index == 6
    assert "cell 6, line 1" in found[0].message


def test_notebook_target_leak_and_cv_in_cells():
    raw = notebook(
        IMPORTS_CELL,
        'df = pd.read_csv("data.csv")',
        'y = df["target"]\nX = df.drop(columns=["id"])',
        "# baseline\nmodel = LogisticRegression()\ncross_val_score(model, X, y)",
    )
    located, _, _ = notebook_findings(raw)
    assert located == [("ML207", 5, 3)]


def test_notebook_kaggle_pipeline_matches_the_example_expectations():
    raw = (Path(__file__).parent.parent / "examples" / "kaggle_leaky.ipynb").read_text()
    located, _, _ = notebook_findings(raw)
    assert set(located) >= {("ML206", 6, 2), ("ML201", 7, 2), ("ML207", 10, 4), ("ML203", 12, 2),
                            ("ML204", 14, 1), ("ML202", 15, 3)}
    assert set(located) <= {("ML206", 6, 2), ("ML201", 7, 2), ("ML207", 10, 4), ("ML203", 12, 2),
                            ("ML203", 7, 2), ("ML204", 14, 1), ("ML202", 15, 3)}


def test_example_training_script():
    source = (Path(__file__).parent.parent / "examples" / "train.py").read_text()
    assert [(c, line) for c, line in codes(source) if c.startswith("ML2")] == [("ML201", 76)]


# ----- messages and related information --------------------------------------------------------


def test_ml201_message_names_the_variables_and_points_at_the_split():
    (finding,) = findings("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        scaler = StandardScaler()
        X_s = scaler.fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X_s, y)
    """, select="ML201")
    assert finding.message.startswith("`scaler` is fitted on `X`, whose rows are then split into "
                                      "`X_train`/`X_test` at line 6")
    assert (finding.span.line, finding.span.col) == (5, 6)  # the fit_transform call
    assert finding.related and finding.related[0].span.line == 6


def test_ml202_points_at_the_split_that_made_the_test_data():
    (finding,) = findings("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_train, X_test = train_test_split(X)
        StandardScaler().fit(X_test)
    """, select="ML202")
    assert "`X_test`" in finding.message and finding.related[0].span.line == 4


# ----- fixes -----------------------------------------------------------------------------------

FIT_BEFORE_SPLIT_SCRIPT = """\
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
print(X_train.shape)
"""


def test_ml201_fix_moves_the_fit_after_the_split():
    (fixed,) = assert_fix_contract(FIT_BEFORE_SPLIT_SCRIPT, "ML201")
    assert fixed == """\
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

scaler = StandardScaler()
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)
print(X_train.shape)
"""


def test_ml201_fix_title_names_the_transformer():
    from mlreview.fixes.api import build_fix

    (finding,) = findings(FIT_BEFORE_SPLIT_SCRIPT, select="ML201")
    assert build_fix(FIT_BEFORE_SPLIT_SCRIPT, finding).message == "Move `scaler` fit after the split"


def test_ml201_fix_names_an_unnamed_transformer_and_keeps_the_same_variable_name():
    (fixed,) = assert_fix_contract("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import MinMaxScaler
        def split(X, y):
            X = MinMaxScaler(feature_range=(0, 1)).fit_transform(X)
            a_train, a_test, b_train, b_test = train_test_split(X, y)
            return a_train, a_test, b_train, b_test
    """, "ML201")
    assert fixed == """
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
def split(X, y):
    min_max_scaler = MinMaxScaler(feature_range=(0, 1))
    a_train, a_test, b_train, b_test = train_test_split(X, y)
    a_train = min_max_scaler.fit_transform(a_train)
    a_test = min_max_scaler.transform(a_test)
    return a_train, a_test, b_train, b_test
"""


def test_ml201_fix_for_the_second_array_of_the_split():
    (fixed,) = assert_fix_contract("""
        from sklearn.model_selection import train_test_split
        from sklearn.impute import SimpleImputer
        imputer = SimpleImputer()
        feats = imputer.fit_transform(df[["a", "b"]])
        ids_tr, ids_te, f_tr, f_te = train_test_split(ids, feats)
    """, "ML201")
    assert "ids_tr, ids_te, f_tr, f_te = train_test_split(ids, df[[\"a\", \"b\"]])\n" \
           "f_tr = imputer.fit_transform(f_tr)\nf_te = imputer.transform(f_te)\n" in fixed


@pytest.mark.parametrize("source", [
    pytest.param("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_scaled = StandardScaler().fit_transform(X)
        X_train, X_test = train_test_split(X_scaled)
        print(X_scaled.mean())
    """, id="the transformed variable is used elsewhere"),
    pytest.param("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        scaler = StandardScaler()
        scaler.fit(X)
        X_train, X_test = train_test_split(scaler.transform(X))
    """, id="fit and transform are separate statements"),
    pytest.param("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        sc = StandardScaler()
        X_s = sc.fit_transform(X)
        X = load_other()
        X_train, X_test = train_test_split(X_s)
    """, id="the input is reassigned before the split"),
    pytest.param("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        sc = StandardScaler()
        X_s = sc.fit_transform(X)
        Z = sc.transform(Z)
        X_train, X_test = train_test_split(X_s)
    """, id="the transformer is used between fit and split"),
    pytest.param("""
        from sklearn.model_selection import KFold
        from sklearn.preprocessing import StandardScaler
        X_s = StandardScaler().fit_transform(X)
        for tr, te in KFold(3).split(X_s):
            pass
    """, id="a CV splitter"),
])
def test_ml201_fix_is_not_offered_when_unsafe(source):
    (finding,) = findings(source, select="ML201")
    assert not finding.fixable


def test_ml201_fix_across_notebook_cells():
    from mlreview.engine import analyse_source
    from mlreview.fixes.api import build_fix
    from mlreview.fixes.edits import apply_edits
    from mlreview.parse.source import notebook_source

    raw = notebook(IMPORTS_CELL, "scaler = StandardScaler()\nX_s = scaler.fit_transform(X)",
                   "X_train, X_test, y_train, y_test = train_test_split(X_s, y, random_state=1)")
    source = notebook_source(raw)
    (finding,) = [f for f in analyse_source(source).findings if f.code == "ML201"]
    fixed = apply_edits(source.text, build_fix(source.text, finding).edits)
    assert fixed.endswith("scaler = StandardScaler()\n"
                          "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)\n"
                          "X_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)\n")
    assert fixed.count("\n") == source.text.count("\n") + 1  # one line gone from cell 3, two added to cell 4


def test_ml202_fix_transforms_with_the_training_fit():
    (fixed,) = assert_fix_contract("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        sc = StandardScaler()
        X_train = sc.fit_transform(X_train)
        X_test = sc.fit_transform(X_test)
    """, "ML202")
    assert fixed.endswith("X_test = sc.transform(X_test)\n")


def test_ml202_fix_for_a_refit_on_a_separate_test_file():
    (fixed,) = assert_fix_contract("""
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        train, test = pd.read_csv("train.csv"), pd.read_csv("test.csv")
        scaler = StandardScaler()
        model = LogisticRegression().fit(scaler.fit_transform(train[["a"]]), train["y"])
        model.predict(scaler.fit_transform(test[["a"]]))
    """, "ML202")
    assert fixed.endswith('model.predict(scaler.transform(test[["a"]]))\n')


def test_ml202_no_fix_when_the_transformer_was_never_fitted():
    (finding,) = findings("""
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_train, X_test = train_test_split(X)
        X_test = StandardScaler().fit_transform(X_test)
    """, select="ML202")
    assert not finding.fixable


@pytest.mark.parametrize("before, after", [
    ('X = df.drop(columns=["id"])', 'X = df.drop(columns=["id", "target"])'),
    ('X = df.drop(columns="id")', 'X = df.drop(columns=["id", "target"])'),
    ('X = df.drop("id", axis=1)', 'X = df.drop(["id", "target"], axis=1)'),
    ('X = df[["a", "target"]]', 'X = df[["a"]]'),
    ("X = df", 'X = df'),  # the bare frame is fixed at the fit: see the assertion below
])
def test_ml207_fix_drops_the_target_column(before, after):
    source = f"""
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("data.csv")
        y = df["target"]
        {before}
        LogisticRegression().fit(X, y)
    """
    (fixed,) = assert_fix_contract(source, "ML207")
    assert after in fixed
    if before == "X = df":
        assert 'LogisticRegression().fit(X.drop(columns=["target"]), y)' in fixed


# ----- the engine across edits ----------------------------------------------------------------


def summary(result):
    return [(f.code, f.span.line, f.span.col, f.message) for f in result.findings if f.code.startswith("ML2")]


def test_incremental_walks_agree_with_fresh_ones():
    """Edits re-walk only what changed; the findings must be those of a walk from scratch."""
    from mlreview.engine import DocumentAnalyzer, analyse_source
    from mlreview.parse.source import SourceText

    base = (Path(__file__).parent.parent / "examples" / "train.py").read_text()
    lines = base.splitlines(keepends=True)
    split_line = next(i for i, line in enumerate(lines) if line.startswith("X_train, X_test"))
    fit_line = next(i for i, line in enumerate(lines) if "scaler.fit_transform" in line)
    edits = [
        base,
        base.replace("    df.dropna()\n", "    df.dropna()\n    print(df.shape)\n"),  # inside a function
        "".join(lines[:split_line] + lines[split_line + 1:]),  # the split removed
        base,
        "".join(lines[:fit_line] + ["X_scaled = X\n"] + lines[fit_line + 1:]),  # the fit removed
        base.replace("import sys\n", "import sys\nimport os\n"),  # imports changed
        base + "\nX_train = scaler.fit_transform(X_test)\n",
        base,
        base.replace('print("saved model.pkl")', 'print("saved the model")'),  # same data flow
        base.replace("X_scaled = scaler.fit_transform(X)", "X_scaled = scaler.fit_transform(X[:10])"),
        base.replace("y = customers[TARGET]", "y = customers.pop(TARGET)"),
        base,
    ]
    analyzer = DocumentAnalyzer("incremental.py")
    for number, text in enumerate(edits):
        incremental = analyzer.analyse(SourceText(text))
        fresh = analyse_source(SourceText(text), path=f"fresh-{number}.py")
        assert summary(incremental) == summary(fresh), f"edit {number}"
    assert summary(analyzer.analyse(SourceText(base)))  # ML201 is back
