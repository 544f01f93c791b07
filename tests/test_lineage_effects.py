"""The effects of applied helper bodies are kept per document (lineage/effects.py): an edit that
re-walks a call with the same inputs applies the kept effect; an edit inside the helper walks it."""

from __future__ import annotations

from mlreview.engine import DocumentAnalyzer
from mlreview.parse.source import SourceText
from support import EVERY_RULE

TEXT = """\
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split


def standardise(frame):
    scaler = StandardScaler()
    return scaler.fit_transform(frame)


X = pd.read_csv("d.csv")
X_all = standardise(X)
X_train, X_test = train_test_split(X_all, random_state=0)
"""
CALL = "X_all = standardise(X)\n"


def analyse(analyzer: DocumentAnalyzer, text: str):
    result = analyzer.analyse(SourceText(text), EVERY_RULE)
    assert not result.rule_errors
    return [(f.code, f.span, f.message, [(r.span, r.message) for r in f.related]) for f in result.findings
            if f.code.startswith("ML2")]


def effects(analyzer: DocumentAnalyzer):
    cache = analyzer.model.lineage_run.effects
    return cache.walks, cache.reuses


def test_an_edit_of_the_calling_line_reuses_the_helpers_effect():
    analyzer = DocumentAnalyzer("train.py")
    first = analyse(analyzer, TEXT)
    assert [code for code, *_ in first] == ["ML201"]
    assert effects(analyzer) == (1, 0)
    edited = TEXT.replace(CALL, "X_all = standardise(X) if True else None\n")
    again = analyse(analyzer, edited)
    assert effects(analyzer) == (1, 1)  # the call re-walked, the body not
    assert again == analyse(DocumentAnalyzer("train.py"), edited)  # what a walk from scratch finds


def test_the_same_call_twice_in_one_walk_walks_the_body_once():
    twice = TEXT.replace(CALL, CALL + "X_again = standardise(X)\n")
    analyzer = DocumentAnalyzer("train.py")
    analyse(analyzer, twice)
    assert effects(analyzer) == (1, 1)


def test_an_edit_inside_the_helper_walks_it_again():
    analyzer = DocumentAnalyzer("train.py")
    analyse(analyzer, TEXT)
    fixed = analyse(analyzer, TEXT.replace("return scaler.fit_transform(frame)", "return frame"))
    assert fixed == []  # the helper no longer fits: its kept effect was not used
    assert effects(analyzer) == (2, 0)


def test_other_arguments_walk_it_again():
    analyzer = DocumentAnalyzer("train.py")
    analyse(analyzer, TEXT)
    analyse(analyzer, TEXT.replace(CALL, "X_all = standardise(X[[\"a\", \"b\"]])\n"))  # other columns
    assert effects(analyzer) == (2, 0)


def test_the_cache_is_bounded():
    from mlreview.lineage import effects as module

    many = TEXT + "".join(f"Z{i} = standardise(pd.read_csv('f{i}.csv'))\n" for i in range(module.SIZE + 20))
    analyzer = DocumentAnalyzer("train.py")
    analyse(analyzer, many)
    assert len(analyzer.model.lineage_run.effects) <= module.SIZE


CALLER_TEXT = """\
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split


def main():
    features = load("d.csv")
    X_train, X_test = train_test_split(features, random_state=0)


def load(path):
    frame = pd.read_csv(path)
    return StandardScaler().fit_transform(frame)
"""
SCALING = "    return StandardScaler().fit_transform(frame)\n"


def test_a_function_is_walked_again_when_a_module_function_it_calls_is_edited():
    analyzer = DocumentAnalyzer("train.py")
    assert [code for code, *_ in analyse(analyzer, CALLER_TEXT)] == ["ML201"]  # main's own walk applies load
    unscaled = CALLER_TEXT.replace(SCALING, "    return frame\n")
    assert analyse(analyzer, unscaled) == []  # main unchanged, but its helper is: its walk is stale
    assert analyse(analyzer, CALLER_TEXT) == analyse(DocumentAnalyzer("train.py"), CALLER_TEXT)
