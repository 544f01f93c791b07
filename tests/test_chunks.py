"""The chunked, incremental parse: same answers as a fresh analysis, broken parts isolated."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from mlreview.engine import DocumentAnalyzer, analyse_text
from mlreview.parse.chunks import chunk_document, rechunk, split_lines
from mlreview.parse.source import SourceText

SCRIPT = textwrap.dedent('''\
    """A training script."""
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import train_test_split, KFold


    @decorator
    def load(path):
        frame = pd.read_csv(path)
        return frame


    class Trainer:
        def fit(self, X):
            return X


    df = load("data.csv")
    X_train, X_test = train_test_split(df, test_size=0.2)
    items = [
    1,
    2,
    ]
    if df is None:
        pass
    else:
        kf = KFold(n_splits=3, shuffle=True)
    text = """
    x = 1
    """
    sample = df.sample(frac=0.5)
''')


def chunk_texts(text: str) -> list[str]:
    return [c.text for c in chunk_document(split_lines(text))]


def test_chunks_cover_every_line_once_and_parse():
    chunks = chunk_document(split_lines(SCRIPT))
    assert "".join(c.text for c in chunks) == SCRIPT
    assert all(c.tree is not None for c in chunks)
    starts = [c.start_line for c in chunks]
    assert starts == sorted(starts) and starts[0] == 1


def test_decorator_and_multiline_brackets_stay_with_their_statement():
    texts = chunk_texts(SCRIPT)
    assert any(t.startswith("@decorator\ndef load") for t in texts)
    assert any(t.startswith("items = [\n1,\n2,\n]") for t in texts)
    assert any('x = 1\n"""' in t for t in texts)


def test_syntax_error_is_isolated_and_reported():
    broken = SCRIPT.replace("df = load(\"data.csv\")", "df = load(\"data.csv\"")
    result = analyse_text(broken)
    assert len(result.problems) == 1
    assert result.problems[0].line == 18
    fresh = analyse_text(SCRIPT)
    # the findings after the broken statement are still there
    assert [f.span.line for f in result.findings] == [f.span.line for f in fresh.findings]


def test_edit_reparses_only_the_touched_statement():
    lines = split_lines(SCRIPT)
    old = chunk_document(lines)
    edited = lines.copy()
    edited[18] = edited[18].replace("0.2", "0.25")
    new, _ = rechunk(old, lines, edited)
    reused = sum(1 for chunk in new if any(chunk is o for o in old))
    assert reused == len(old) - 1 or reused == len(old) - 2  # the edited chunk (and its predecessor)



def test_an_edit_above_a_top_level_string_chunks_like_a_fresh_parse():
    # A line opening a string cannot tell it starts a statement; the kept chunk below says so.
    text = 'plt.show()\n# ---- next example ----\n"""\nTitle\n"""\nimport numpy as np\n'
    lines = split_lines(text)
    edited = ["pltx.show()\n", *lines[1:]]
    new, _ = rechunk(chunk_document(lines), lines, edited)
    assert [c.text for c in new] == [c.text for c in chunk_document(edited)]
    assert len(new) == 3

def test_inserted_lines_shift_the_following_chunks():
    analyzer = DocumentAnalyzer()
    first = analyzer.analyse(SourceText(SCRIPT)).findings
    second = analyzer.analyse(SourceText("# a new comment\n# and another\n" + SCRIPT)).findings
    assert [f.span.line + 2 for f in first] == [f.span.line for f in second]


def test_typing_an_unclosed_bracket_keeps_findings_below():
    analyzer = DocumentAnalyzer()
    analyzer.analyse(SourceText(SCRIPT))
    typing = SCRIPT.replace("class Trainer:", "value = compute(\nclass Trainer:")
    result = analyzer.analyse(SourceText(typing))
    assert result.problems
    fresh = analyse_text(SCRIPT).findings
    assert [f.span.line + 1 for f in fresh] == [f.span.line for f in result.findings]


EDITS = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 60), st.integers(0, 8),
              st.sampled_from(["", "x", "(", ")", "\n", "    ", ":", "\"\"\"", "#", "df = df.sample(frac=1)\n", "é😀"])),
    min_size=1, max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(EDITS)
def test_incremental_analysis_equals_fresh_analysis(edits):
    analyzer = DocumentAnalyzer()
    text = SCRIPT
    analyzer.analyse(SourceText(text))
    for line_no, col, delete, insert in edits:
        lines = split_lines(text)
        line_no = min(line_no, len(lines) - 1)
        start = sum(len(line) for line in lines[:line_no]) + min(col, len(lines[line_no]))
        text = text[:start] + insert + text[start + delete:]
        incremental = analyzer.analyse(SourceText(text))
        fresh = analyse_text(text)
        assert "".join(c.text for c in incremental.model.chunks) == text
        if not fresh.problems:  # while broken, incremental keeps old findings on purpose
            assert not incremental.problems
            assert [(f.code, f.span) for f in incremental.findings] == [(f.code, f.span) for f in fresh.findings]


def test_editing_an_import_re_resolves_only_what_depends_on_it():
    analyzer = DocumentAnalyzer()
    analyzer.analyse(SourceText(SCRIPT))
    renamed = SCRIPT.replace("import train_test_split, KFold", "import train_test_split as tts, KFold")
    renamed = renamed.replace("X_train, X_test = train_test_split(", "X_train, X_test = tts(")
    for text in (renamed, SCRIPT.replace("import numpy as np", "import numpy as npx"), SCRIPT):
        incremental = analyzer.analyse(SourceText(text)).findings
        assert [(f.code, f.span) for f in incremental] == [(f.code, f.span) for f in analyse_text(text).findings]


LEAKY_SCRIPT = textwrap.dedent('''\
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    from sklearn.model_selection import train_test_split

    df = pd.read_csv("data.csv")
    X = df.drop(columns=["y"])


    def scale(frame):
        return StandardScaler().fit_transform(frame)


    X = StandardScaler().fit_transform(X)
    X_train, X_test = train_test_split(X, random_state=0)
''')


def test_import_edits_re_walk_the_data_flow_like_a_fresh_analysis():
    analyzer = DocumentAnalyzer("edited.py")  # its own path: walks are remembered per document
    analyzer.analyse(SourceText(LEAKY_SCRIPT))
    edits = [
        LEAKY_SCRIPT.replace("import StandardScaler", "import StandardScalerx"),
        LEAKY_SCRIPT.replace("import StandardScaler", "import StandardScaler as StandardScaler"),
        LEAKY_SCRIPT.replace("from sklearn.model_selection", "from sklearn.model_selectionx"),
        LEAKY_SCRIPT,
    ]
    for text in edits:
        incremental = analyzer.analyse(SourceText(text)).findings
        fresh = analyse_text(text, path="fresh.py").findings
        assert [(f.code, f.span) for f in incremental] == [(f.code, f.span) for f in fresh]
    assert any(f.code == "ML201" for f in incremental)
