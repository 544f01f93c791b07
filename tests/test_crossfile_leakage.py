"""Leakage through functions and classes of other workspace files (issue 14, across files).

Each test writes a small project: a helper file and a caller. The caller's imports are resolved as
the CLI resolves them (crossfile.py, no time budget) and the helper's body is applied at the call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mlreview.engine import analyse_text
from mlreview.facts import crossfile
from mlreview.lineage import foreign
from support import EVERY_RULE

PREP = """\
import pandas as pd
from sklearn.preprocessing import StandardScaler
from imblearn.over_sampling import SMOTE


def scale_all(frame):
    scaler = StandardScaler()
    return scaler.fit_transform(frame)


def scale_split(train, test):
    scaler = StandardScaler().fit(train)
    return scaler.transform(train), scaler.transform(test)


def fill_means(frame):
    return frame.fillna(frame.mean())


def balance(X, y):
    return SMOTE().fit_resample(X, y)


def prepare(frame):
    return scale_all(frame.dropna())


def load(path):
    return pd.read_csv(path)


class Scaler:
    def fit(self, frame):
        self.scaler = StandardScaler().fit(frame)
        return self

    def transform(self, frame):
        return self.scaler.transform(frame)


def fit_model(model, frame, target):
    return model.fit(frame, target)


def fit_and_score(model, frame, target):
    model.fit(frame[["email", "age"]], target)
    return model.score(frame[["email", "age"]], target)
"""

HEAD = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "prep.py").write_text(PREP)
    crossfile.clear_cache()
    return tmp_path


def findings(project: Path, body: str, name: str = "train.py"):
    """The ML2 findings of `name` (HEAD + body), with its imports resolved as the CLI does."""
    text = HEAD + textwrap.dedent(body)
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    requests = crossfile.import_requests(crossfile.text_imports(text))
    external = crossfile.resolve_external(str(path), requests, str(project), budget=None).facts
    result = analyse_text(text, EVERY_RULE, path=str(path), external=external)
    assert not result.rule_errors
    return [f for f in result.findings if f.code.startswith("ML2")]


def lines(found) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in found]


# ----- positives: reported on the caller's call, naming the helper in the other file ----------


def test_imported_helper_scales_all_rows_before_the_split(project):
    [finding] = findings(project, """\
        from prep import scale_all
        df = pd.read_csv("d.csv")
        X = scale_all(df.drop(columns=["y"]))
        X_train, X_test, y_train, y_test = train_test_split(X, df["y"], random_state=0)
        """)
    assert (finding.code, finding.span.line) == ("ML201", 6)  # the call that passes the full data
    assert "inside `scale_all` of prep.py (called at line 6)" in finding.message
    fit = next(r for r in finding.related if r.message == "the fit")
    assert (fit.filename, fit.span.line) == (str((project / "prep.py").resolve()), 8)
    assert [r.filename for r in finding.related if r.filename is None] == [None, None]  # the call, the split


def test_module_import_and_attribute_call(project):
    found = findings(project, """\
        import prep as p
        df = pd.read_csv("d.csv")
        X = p.scale_all(df)
        X_train, X_test = train_test_split(X, random_state=0)
        LogisticRegression().fit(X_train, y)
        """)
    assert lines(found) == [("ML201", 6)]


def test_relative_import_inside_a_package(project):
    package = project / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "steps.py").write_text(PREP)
    found = findings(project, """\
        from .steps import scale_all
        X = scale_all(pd.read_csv("d.csv"))
        X_train, X_test = train_test_split(X, random_state=0)
        """, "pkg/train.py")
    assert lines(found) == [("ML201", 5)]


def test_imported_class_fitted_on_all_rows(project):
    found = findings(project, """\
        from prep import Scaler
        df = pd.read_csv("d.csv")
        Z = Scaler().fit(df).transform(df)
        Z_train, Z_test = train_test_split(Z, random_state=0)
        """)
    assert lines(found) == [("ML201", 6)]


def test_helper_calling_a_helper_of_its_own_file(project):
    found = findings(project, """\
        from prep import prepare
        X = prepare(pd.read_csv("d.csv"))
        X_train, X_test = train_test_split(X, random_state=0)
        """)
    assert lines(found) == [("ML201", 5)]
    assert "inside `scale_all` of prep.py (called at line 5)" in found[0].message


def test_imported_resampler_and_statistics(project):
    found = findings(project, """\
        from prep import balance, fill_means
        df = fill_means(pd.read_csv("d.csv"))
        X_res, y_res = balance(df.drop(columns=["y"]), df["y"])
        X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, random_state=0)
        """)
    assert sorted(lines(found)) == [("ML204", 6), ("ML206", 5)]


def test_target_in_features_given_to_an_imported_fit(project):
    found = findings(project, """\
        from prep import fit_model
        df = pd.read_csv("d.csv")
        fit_model(LogisticRegression(), df.drop(columns=["id"]), df["y"])
        """)
    assert lines(found) == [("ML207", 6)]
    assert "inside `fit_model` of prep.py" in found[0].message
    # The `drop` that built the features is the caller's own code: the fix edits it there.
    assert found[0].fixable and found[0].data["target_fix"]["span"][0] == 6


# ----- look-alikes: silent -------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    pytest.param("""\
        from prep import scale_split
        df = pd.read_csv("d.csv")
        train, test = train_test_split(df, random_state=0)
        train, test = scale_split(train, test)
        """, id="helper-scales-only-the-training-part"),
    pytest.param("""\
        from prep import Scaler
        df = pd.read_csv("d.csv")
        train, test = train_test_split(df, random_state=0)
        scaler = Scaler().fit(train)
        train, test = scaler.transform(train), scaler.transform(test)
        """, id="imported-class-fitted-on-the-train-split"),
    pytest.param("""\
        from nowhere import scale_all
        X = scale_all(pd.read_csv("d.csv"))
        X_train, X_test = train_test_split(X, random_state=0)
        """, id="unresolvable-import"),
    pytest.param("""\
        from prep import load
        df = load("d.csv")
        X_train, X_test = train_test_split(df, random_state=0)
        """, id="helper-that-only-loads"),
    pytest.param("""\
        from prep import scale_all
        def scale_all(frame):
            return frame
        X = scale_all(pd.read_csv("d.csv"))
        X_train, X_test = train_test_split(X, random_state=0)
        """, id="local-definition-shadows-the-import"),
    pytest.param("""\
        from prep import scale_all
        df = pd.read_csv("d.csv")
        train, test = train_test_split(df, random_state=0)
        train = scale_all(train)
        """, id="helper-given-the-training-part"),
    pytest.param("""\
        from prep import fit_model
        df = pd.read_csv("d.csv")
        fit_model(LogisticRegression(), df.drop(columns=["y"]), df["y"])
        """, id="target-dropped-before-the-imported-fit"),
    pytest.param("""\
        from broken import scale_all
        X = scale_all(pd.read_csv("d.csv"))
        X_train, X_test = train_test_split(X, random_state=0)
        """, id="helper-file-does-not-parse"),
])
def test_look_alikes_stay_silent(project, body):
    (project / "broken.py").write_text("def scale_all(frame:\n    return frame\n")
    assert findings(project, body) == []


def test_every_finding_stays_in_the_callers_lines(project):
    """Events inside another file's function are reported at the caller's call, or by that file's
    own analysis, never at their own line numbers in the caller (ML305, ML604 included)."""
    text = HEAD + textwrap.dedent("""\
        from prep import fit_and_score, scale_all
        df = pd.read_csv("d.csv")
        fit_and_score(LogisticRegression(), df, df["y"])
        X = scale_all(df)
        """)
    path = project / "train.py"
    path.write_text(text)
    requests = crossfile.import_requests(crossfile.text_imports(text))
    external = crossfile.resolve_external(str(path), requests, str(project), budget=None).facts
    result = analyse_text(text, EVERY_RULE, path=str(path), external=external)
    assert not result.rule_errors
    caller_lines = len(text.splitlines())
    assert all(f.span.line <= caller_lines for f in result.findings)
    assert all(r.filename is not None or r.span.line <= caller_lines for f in result.findings for r in f.related)


# ----- the parsed helper files are cached by their text ------------------------------------------


def test_helper_file_parsed_once_until_it_changes(project):
    foreign.clear_cache()
    body = """\
        from prep import scale_all
        X = scale_all(pd.read_csv("d.csv"))
        X_train, X_test = train_test_split(X, random_state=0)
        """
    before = foreign.parses
    assert lines(findings(project, body)) == [("ML201", 5)]
    assert foreign.parses == before + 1
    assert lines(findings(project, body + "print(1)\n")) == [("ML201", 5)]  # the caller edited
    assert lines(findings(project, body, "other.py")) == [("ML201", 5)]  # another caller
    assert foreign.parses == before + 1
    (project / "prep.py").write_text(PREP.replace("return scaler.fit_transform(frame)", "return frame"))
    assert findings(project, body) == []  # an edit inside the helper is seen
    assert foreign.parses == before + 2


# ----- the CLI: deterministic, and its cache follows the helper file ------------------------------


def run_check(project: Path, *options: str, target: str = ".") -> list[dict]:
    completed = subprocess.run([sys.executable, "-m", "mlreview", "check", "--output-format", "json",
                                "--select", "ML2", *options, target], cwd=project, capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert completed.returncode in (0, 1), completed.stderr
    return json.loads(completed.stdout)


def test_cli_two_file_project_and_its_cache(project):
    (project / "train.py").write_text(HEAD + "from prep import scale_all\nX = scale_all(pd.read_csv('d.csv'))\n"
                                      "X_train, X_test = train_test_split(X, random_state=0)\n")
    first = run_check(project)
    assert [(f["code"], f["filename"], f["location"]["row"]) for f in first] == [("ML201", "train.py", 5)]
    assert {(r["filename"], r["location"]["row"]) for r in first[0]["related"]} == {
        ("train.py", 5), (str((project / "prep.py").resolve()), 8), ("train.py", 6)}
    assert run_check(project, "--jobs", "2") == first == run_check(project, "--no-cache", "--jobs", "1")
    (project / "prep.py").write_text(PREP.replace("return scaler.fit_transform(frame)", "return frame"))
    assert run_check(project) == []  # the cached result of train.py depended on prep.py
    (project / "prep.py").write_text(PREP)
    assert run_check(project) == first
    # Only the caller checked: the helper file is a dependency of its cached result, not an input.
    assert run_check(project, target="train.py") == first
    (project / "prep.py").write_text(PREP.replace("return scaler.fit_transform(frame)", "return frame"))
    assert run_check(project, target="train.py") == []
    (project / "prep.py").write_text(PREP)
    assert run_check(project, target="train.py") == first
