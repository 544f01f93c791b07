"""The evaluation-methodology rules (ML205, ML208, ML209, ML305) beyond the case files: messages
and related places, fix title and applicability, notebooks, hover, and the demo example."""

from __future__ import annotations

from pathlib import Path

from support import (
    REGISTRY,
    SourceText,
    analyse_source,
    analyse_text,
    build_fix,
    find,
    located,
    notebook,
)

from mlreview.documentation import hover_markdown

EXAMPLES = Path(__file__).parent.parent / "examples"

SELECTION = """\
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
best_k, best = None, 0
for k in range(1, 20):
    knn = KNeighborsClassifier(k).fit(X_train, y_train)
    score = knn.score(X_test, y_test)
    if score > best:
        best_k, best = k, score
"""

OVERLAP = """\
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
clf = LogisticRegression().fit(X, y)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
print(clf.score(X_test, y_test))
"""


def test_selection_names_the_candidate_fit_and_the_split():
    (finding,) = find(SourceText(SELECTION), "ML205")
    assert finding.span.line == 7
    assert "`knn.score(X_test, y_test)`" in finding.message and "test set is choosing" in finding.message
    assert [r.span.line for r in finding.related] == [6, 3]


def test_overlap_names_the_full_fit_and_the_split():
    (finding,) = find(SourceText(OVERLAP), "ML208")
    assert finding.span.line == 5
    assert "`LogisticRegression()` was fitted on `X` at line 3" in finding.message
    assert [r.span.line for r in finding.related] == [3, 4]


def test_train_only_evaluation_points_at_the_fit():
    source = SourceText("from sklearn.svm import SVR\nm = SVR().fit(X, y)\nprint(m.score(X, y))\n")
    (finding,) = find(source, "ML305")
    assert (finding.span.line, finding.span.col) == (3, 6)
    assert [r.span.line for r in finding.related] == [2]


def test_temporal_shuffle_fix_is_unsafe_and_keeps_the_call_shape():
    text = ('import pandas as pd\nfrom sklearn.model_selection import train_test_split\n'
            'df = pd.read_csv("s.csv").sort_values("date")\n'
            'train, test = train_test_split(\n    df,\n    test_size=0.2,\n    random_state=0,\n)\n')
    (finding,) = [f for f in analyse_text(text).findings if f.code == "ML209"]
    fix = build_fix(text, finding)
    assert fix.applicability == "unsafe"
    assert fix.message == "Split in time order (shuffle=False)"
    assert fix.edits[0].content.endswith("    random_state=0,\n    shuffle=False,\n)")


def test_notebook_selection_across_cells():
    source = notebook(
        "from sklearn.model_selection import train_test_split\nfrom sklearn.svm import SVC",
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)",
        "scores = {c: SVC(C=c).fit(X_train, y_train).score(X_test, y_test) for c in (0.1, 1, 10)}\n"
        "best_c = max(scores, key=scores.get)",
    )
    assert [located(source, f) for f in analyse_source(source).findings if f.code == "ML205"] == [("ML205", 3, 1)]


def test_an_estimator_taken_from_a_dict_breaks_no_rule():
    text = ('import pandas as pd\nfrom sklearn.linear_model import Ridge\n'
            'from sklearn.model_selection import cross_val_score\n'
            'df = pd.read_csv("d.csv")\nmodels = {"ridge": Ridge()}\n'
            'print(cross_val_score(models["ridge"], df[["a"]], df["y"]))\n')
    assert analyse_text(text).rule_errors == []


def test_hover_names_principle_area_and_red_flag():
    for code in ("ML205", "ML208", "ML209", "ML305"):
        rule = REGISTRY.get(code)
        text = hover_markdown(rule)
        assert f"**{code} {rule.name}**" in text and rule.area in text and "red flag" in text


def test_demo_example_shows_selection_and_temporal_shuffle():
    text = (EXAMPLES / "demand_forecast.py").read_text()
    result = analyse_text(text)
    assert result.rule_errors == []
    assert sorted((f.code, f.span.line) for f in result.findings if f.code in ("ML205", "ML209")) == \
        [("ML205", 30), ("ML209", 21)]
