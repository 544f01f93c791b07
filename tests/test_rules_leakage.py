"""ML2 data leakage beyond the case files: notebooks across rules, the examples, messages,
a fix across notebook cells, and incremental analysis."""

from __future__ import annotations

import ast

from pathlib import Path

from support import (
    DocumentAnalyzer,
    SourceText,
    analyse_source,
    apply_edits,
    build_fix,
    codes,
    find,
    findings,
    located,
    notebook,
    notebook_file,
)

EXAMPLES = Path(__file__).parent.parent / "examples"
IMPORTS_CELL = """
import pandas as pd
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""


def leakage_in(source: SourceText) -> list[tuple[str, int | None, int]]:
    return sorted(located(source, f) for f in analyse_source(source).findings if f.code.startswith("ML2"))


def test_notebook_finding_names_the_cell_of_the_split():
    source = notebook(
        IMPORTS_CELL,
        'df = pd.read_csv("data.csv")\nX = df[["a", "b"]]\ny = df["target"]',
        "scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)",
        "print(X_scaled.shape)",
        "X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)",
        title=True,
    )
    assert leakage_in(source) == [("ML201", 4, 2)]
    (finding,) = find(source, "ML201")
    assert source.cell_at(finding.related[0].span.line).index == 6
    assert "cell 6, line 1" in finding.message


def test_notebook_target_leak_and_cv_in_cells():
    source = notebook(
        IMPORTS_CELL,
        'df = pd.read_csv("data.csv")',
        'y = df["target"]\nX = df.drop(columns=["id"])',
        "# baseline\nmodel = LogisticRegression()\ncross_val_score(model, X, y)",
        title=True,
    )
    assert leakage_in(source) == [("ML207", 5, 3)]


def test_notebook_kaggle_pipeline_matches_the_example_expectations():
    found = set(leakage_in(notebook_file(EXAMPLES / "kaggle_leaky.ipynb")))
    expected = {("ML206", 6, 2), ("ML201", 7, 2), ("ML207", 10, 4), ("ML203", 12, 2), ("ML204", 14, 1), ("ML202", 15, 3)}
    assert expected <= found <= expected | {("ML203", 7, 2)}


def test_example_training_script():
    source = (EXAMPLES / "train.py").read_text()
    assert [(c, line) for c, line in codes(source) if c.startswith("ML2")] == [("ML201", 76)]


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


def test_ml201_fix_title_names_the_transformer():
    source = """\
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
"""
    (finding,) = findings(source, select="ML201")
    assert build_fix(source, finding).message == "Move `scaler` fit after the split"


def test_ml201_fix_across_notebook_cells():
    source = notebook(IMPORTS_CELL, "scaler = StandardScaler()\nX_s = scaler.fit_transform(X)",
                      "X_train, X_test, y_train, y_test = train_test_split(X_s, y, random_state=1)", title=True)
    (finding,) = find(source, "ML201")
    fixed = apply_edits(source.text, build_fix(source.text, finding).edits)
    assert fixed.endswith("scaler = StandardScaler()\n"
                          "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)\n"
                          "X_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)\n")
    assert fixed.count("\n") == source.text.count("\n") + 1  # one line gone from cell 3, two added to cell 4


def summary(result):
    return [(f.code, f.span.line, f.span.col, f.message) for f in result.findings if f.code.startswith("ML2")]


def test_incremental_walks_agree_with_fresh_ones():
    """Edits re-walk only what changed; the findings must be those of a walk from scratch."""
    base = (EXAMPLES / "train.py").read_text()
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


HELPER_SCRIPT = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def standardise(frame):
    return StandardScaler().fit_transform(frame)


def measure(features, labels):
    X_a, X_b, y_a, y_b = train_test_split(features, labels)
    return X_a, X_b


df = pd.read_csv("data.csv")
X_all = standardise(df)
X_train, X_test = train_test_split(X_all)
measure(StandardScaler().fit_transform(df[["a", "b"]]), df.y)
"""


def test_a_fit_inside_a_helper_is_reported_at_the_call_that_passes_all_rows():
    first, second = findings(HELPER_SCRIPT, select="ML201")
    assert (first.span.line, first.span.col) == (16, 8)  # `standardise(df)`
    assert first.message.startswith("`StandardScaler()` is fitted on `frame` inside `standardise` (called at "
                                    "line 16), whose rows are then split into `X_train`/`X_test` at line 17")
    assert [(r.span.line, r.message) for r in first.related] == [
        (16, "`standardise` is given the data here"), (7, "the fit"),
        (17, "the split: its test rows were already seen by the fit")]
    assert second.span.line == 18 and "split into `X_a`/`X_b` at line 11 inside `measure` (called at line 18)" \
        in second.message
    assert [r.span.line for r in second.related] == [18, 11]  # the call passing the scaled data, the split


def test_editing_a_helper_re_walks_its_callers():
    unfitted = HELPER_SCRIPT.replace("return StandardScaler().fit_transform(frame)", "return frame")
    analyzer = DocumentAnalyzer("helpers.py")
    for number, text in enumerate([HELPER_SCRIPT, unfitted, HELPER_SCRIPT]):
        incremental = analyzer.analyse(SourceText(text))
        fresh = analyse_source(SourceText(text), path=f"fresh-helpers-{number}.py")
        assert summary(incremental) == summary(fresh), f"edit {number}"
    assert len(summary(analyzer.analyse(SourceText(unfitted)))) == 1


SEPARATE_STEPS = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

raw = pd.read_csv("a.csv")
X = StandardScaler().fit_transform(raw)

other = pd.read_csv("b.csv")
X_train, X_test = train_test_split(other)
"""


def test_an_edit_that_takes_more_ids_keeps_the_later_walks():
    """Ids order the events; a re-walked chunk that now records more (a second fit) takes spare
    ids reserved before the next chunk's, so the chunks that use none of its names are not walked
    again, and what is found is what a walk from scratch finds."""
    analyzer = DocumentAnalyzer("steps.py")
    analyzer.analyse(SourceText(SEPARATE_STEPS))
    later = analyzer.model.lineage_run.runs[-1]
    edited = SEPARATE_STEPS.replace("X = StandardScaler().fit_transform(raw)",
                                    "X = StandardScaler().fit_transform(StandardScaler().fit_transform(raw))")
    result = analyzer.analyse(SourceText(edited))
    assert analyzer.model.lineage_run.runs[-1] is later
    assert summary(result) == summary(analyse_source(SourceText(edited), path="fresh-steps.py"))
    leaked = edited.replace("other = pd.read_csv(\"b.csv\")", "other = X")
    found = summary(analyzer.analyse(SourceText(leaked)))
    assert [code for code, *_ in found] == ["ML201", "ML201"]  # both fits saw the rows split later
    assert found == summary(analyse_source(SourceText(leaked), path="fresh-leaked.py"))


MOVING_SPLIT = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

raw = pd.read_csv("a.csv")
X_train, X_test = train_test_split(raw, random_state=0)
head = raw[:100]
other = pd.read_csv("b.csv")
Z = StandardScaler().fit_transform(other)
"""


def run_of(analyzer: DocumentAnalyzer, statement: str):
    return next(run for run in analyzer.model.lineage_run.runs if ast.unparse(run.tree).startswith(statement))


def test_an_edit_that_moves_a_split_re_walks_only_the_chunks_that_can_see_it():
    """A fit recorded before a split gives the split another id. The chunks after it that look splits
    up (a slice by hand finds its split by key) are walked again; the others keep their walks."""
    analyzer = DocumentAnalyzer("moving.py")
    analyzer.analyse(SourceText(MOVING_SPLIT))
    head, last = run_of(analyzer, "head ="), run_of(analyzer, "Z =")
    edited = MOVING_SPLIT.replace("train_test_split(raw,", "train_test_split(StandardScaler().fit_transform(raw),")
    result = analyzer.analyse(SourceText(edited))
    assert run_of(analyzer, "head =") is not head and run_of(analyzer, "Z =") is last
    assert summary(result) == summary(analyse_source(SourceText(edited), path="fresh-moving.py"))
    assert [code for code, *_ in summary(result)] == ["ML201"]

HELPER_AND_CALL = """\
import pandas as pd
from sklearn.preprocessing import StandardScaler

with open("run.log", "w") as log:
    def scale(frame):
        return StandardScaler().fit_transform(frame)  # all rows
    X = scale(pd.read_csv("a.csv"))
"""


def defined_helper(analyzer: DocumentAnalyzer, text: str):
    analyzer.analyse(SourceText(text))
    return analyzer.model.lineage_run.env_after["scale"]


def test_a_re_parsed_definition_equals_the_old_one_only_for_the_same_code_at_the_same_place():
    """The helper and its call share a chunk (a `with` block): editing the call re-parses the helper. Its value
    must stay equal (the walks after it are kept) unless its code or place changed; a comment
    is not code."""
    analyzer = DocumentAnalyzer("helper.py")
    first = defined_helper(analyzer, HELPER_AND_CALL)
    same = defined_helper(analyzer, HELPER_AND_CALL.replace('"a.csv"', '"b.csv"'))
    assert same.node is not first.node and same == first and hash(same) == hash(first)
    commented = defined_helper(analyzer, HELPER_AND_CALL.replace("# all rows", "# every row"))
    assert commented == first
    edited = defined_helper(analyzer, HELPER_AND_CALL.replace("transform(frame)", "transform(frame[:10])"))
    assert edited != first
    moved = defined_helper(analyzer, HELPER_AND_CALL.replace("\n\nwith", "\n\n\nwith"))
    assert moved != first
