"""ML4 data handling beyond the case files: spans, and a fix inside a notebook cell."""

from __future__ import annotations

from support import apply_edits, build_fix, find, notebook, only

PD = "import pandas as pd\nimport numpy as np\n"


def test_nan_finding_covers_the_comparison_only():
    span = only(PD + "bad = df[df.total == np.nan]", "ML401").span
    assert (span.line, span.col, span.end_col) == (3, 9, 27)


def test_nan_in_a_notebook_cell_is_fixed_in_place():
    source = notebook("import pandas as pd\nimport numpy as np\n", "x = 1\nbad = df[df.a == np.nan]\n")
    [finding] = find(source, "ML401")
    assert finding.span.line == 4
    fix = build_fix(source.text, finding)
    assert apply_edits(source.text, fix.edits).splitlines()[3] == "bad = df[pd.isna(df.a)]"


def test_chained_finding_sits_on_the_target():
    span = only(PD + "df = pd.read_csv('a.csv')\ndf['a'][df['a'] < 0] = 0\n", "ML402").span
    assert (span.line, span.col, span.end_col) == (4, 0, 20)
