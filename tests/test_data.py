"""ML4 data handling: nan-equality, chained-assignment, result-discarded."""

from __future__ import annotations

import textwrap

import pytest
from mlreview.engine import analyse_source
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits
from mlreview.parse.source import join_cells
from support import assert_fix_contract, codes, findings

PD = "import pandas as pd\nimport numpy as np\n"


def lines_of(source: str, code: str) -> list[int]:
    return [line for found, line in codes(source, select=code) if found == code]


def fixed(source: str, code: str) -> str:
    """The document after applying the single `code` finding's fix."""
    source = textwrap.dedent(source)
    [finding] = [f for f in findings(source, select=code) if f.code == code]
    fix = build_fix(source, finding)
    assert fix is not None
    return apply_edits(source, fix.edits)


def notebook(*cells: str):
    return join_cells([(index, textwrap.dedent(cell)) for index, cell in enumerate(cells, start=1)])


def notebook_codes(*cells: str, code: str) -> list[tuple[str, int]]:
    result = analyse_source(notebook(*cells))
    return [(f.code, f.span.line) for f in result.findings if f.code == code]


# ----- ML401 nan-equality ---------------------------------------------------------------------

NAN_POSITIVES = [
    PD + "bad = df[df.total == np.nan]",
    PD + "bad = df[df.total != np.nan]",
    PD + "bad = np.nan == x",
    "import numpy\nif value == numpy.nan:\n    pass",
    "import numpy as np\nok = x != np.NaN",
    "import math\nif x == math.nan:\n    pass",
    "from math import nan\nif x == nan:\n    pass",
    "if x == float('nan'):\n    pass",
    "if x != float('NaN'):\n    pass",
    "import pandas as pd\nmask = s == pd.NA",
    "from numpy import nan as NAN_VALUE\nflag = y == NAN_VALUE",
    "import numpy as np\ndef f(a):\n    return a == np.nan",
    "import numpy as np\nbad = [v for v in values if v == np.nan]",
]


@pytest.mark.parametrize("source", NAN_POSITIVES)
def test_nan_equality_flags(source):
    assert len(lines_of(source, "ML401")) == 1


NAN_NEGATIVES = [
    PD + "ok = pd.isna(x)",
    PD + "ok = np.isnan(x)",
    PD + "ok = x is np.nan",  # identity, not equality: a different (if fragile) question
    PD + "ok = x < np.nan",  # ordering is not what the rule is about
    "nan = 0\nok = x == nan",  # a local variable called nan
    "ok = x == float('inf')",
    "ok = x == float(value)",
    "ok = x == 'nan'",  # comparing with the string
    "class np:\n    nan = 1\nok = x == np.nan",  # not the numpy module
    PD + "ok = df.isna().sum() == 0",
]


@pytest.mark.parametrize("source", NAN_NEGATIVES)
def test_nan_equality_stays_silent(source):
    assert lines_of(source, "ML401") == []


def test_nan_finding_covers_the_comparison_only():
    [finding] = [f for f in findings(PD + "bad = df[df.total == np.nan]") if f.code == "ML401"]
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (3, 9, 27)


@pytest.mark.parametrize("source, expected", [
    (PD + "bad = df[df.total == np.nan]", "bad = df[pd.isna(df.total)]"),
    (PD + "bad = df[np.nan != df.total]", "bad = df[pd.notna(df.total)]"),
    ("import numpy as np\nbad = x == np.nan", "bad = np.isnan(x)"),
    ("import numpy as np\nbad = x != np.nan", "bad = ~np.isnan(x)"),
    ("import numpy as xp\nimport math\nbad = (a + b) == math.nan", "bad = xp.isnan(a + b)"),
    ("import pandas\nbad = s == pandas.NA", "bad = pandas.isna(s)"),
    ("import numpy as np\nn = (arr == np.nan).sum()", "n = (np.isnan(arr)).sum()"),
])
def test_nan_fix_uses_the_imported_alias(source, expected):
    assert fixed(source, "ML401").splitlines()[-1] == expected
    assert_fix_contract(source, "ML401")


def test_nan_in_a_notebook_cell_is_fixed_in_place():
    nb = notebook("import pandas as pd\nimport numpy as np\n", "x = 1\nbad = df[df.a == np.nan]\n")
    [finding] = [f for f in analyse_source(nb).findings if f.code == "ML401"]
    assert finding.span.line == 4
    fix = build_fix(nb.text, finding)
    assert apply_edits(nb.text, fix.edits).splitlines()[3] == "bad = df[pd.isna(df.a)]"


def test_nan_fix_inside_a_function_and_notebook_style_indent():
    source = PD + "def clean(df):\n    return df[df.x != np.nan]\n"
    assert "return df[pd.notna(df.x)]" in fixed(source, "ML401")
    assert_fix_contract(source, "ML401")


@pytest.mark.parametrize("source", [
    "if x == float('nan'):\n    pass",  # neither pandas nor numpy imported
    "import math\nok = x == math.nan",
    "import numpy as np\nok = a == b == np.nan",  # a chained comparison has no one-call rewrite
    "import numpy as np\nfrom pandas import NA\nok = x == NA",  # np.isnan raises on pd.NA
])
def test_nan_without_a_rewrite_is_not_fixable(source):
    [finding] = [f for f in findings(source) if f.code == "ML401"]
    assert not finding.fixable


# ----- ML402 chained-assignment ---------------------------------------------------------------

CHAINED_POSITIVES = [
    PD + "df = pd.read_csv('a.csv')\ndf['a'][df['a'] < 0] = 0",
    PD + "df = pd.read_csv('a.csv')\ndf.loc[mask]['a'] = 1",
    PD + "df = pd.read_csv('a.csv')\ndf['a'].loc[mask] = 1",
    PD + "df = pd.DataFrame(data)\ndf['a'][0] += 1",
    PD + "df = pd.read_parquet(p)\ndf.iloc[0][1] = 5",
    PD + "df = pd.read_csv(p).dropna()\nsub = df[df.x > 0]\nsub['y'][3] = 1",
    PD + "def clean(df):\n    df['a'][df.a.isna()] = 0",  # unknown receiver named like a DataFrame
    PD + "def clean(train_df):\n    train_df['a'][0] = 0",
    PD + "def clean(data):\n    data.loc[data.a < 0]['a'] = 0",  # .loc: only pandas has it
    PD + "def clean(data):\n    data['a'].iloc[0] = 0",
    PD + "def clean(df: pd.DataFrame):\n    df['a'][0] = 0",
    PD + "class C:\n    def __init__(self, p):\n        self.df = pd.read_csv(p)\n"
         "    def fix(self):\n        self.df['a'][0] = 1",
    "import pandas\nframe = pandas.read_csv('x')\nframe[frame.b > 1]['b'] = 1",
    PD + "df = pd.read_csv('a.csv')\ndf['a'][0], df['b'][0] = 1, 2",
]


@pytest.mark.parametrize("source", CHAINED_POSITIVES)
def test_chained_assignment_flags(source):
    assert len(lines_of(source, "ML402")) >= 1


CHAINED_NEGATIVES = [
    PD + "df = pd.read_csv('a.csv')\nm = df['a']['x']",  # read-only chain
    PD + "results = {}\nprint(results['x']['mean'])",
    PD + "d = {}\nd['a']['b'] = 1",  # dict of dicts
    PD + "d = dict()\nd['a']['b'] = 1",
    PD + "from collections import defaultdict\nd = defaultdict(dict)\nd['a']['b'] = 1",
    PD + "grid = [[0] * 3 for _ in range(3)]\ngrid[1][2] = 5",
    PD + "arr = np.zeros((3, 3))\narr[1][2] = 5",
    PD + "def f():\n    stats = {'a': {}}\n    stats['a']['n'] = 3",
    PD + "df = pd.read_csv('a.csv')\ndf.loc[mask, 'a'] = 1",  # the right way
    PD + "df = pd.read_csv('a.csv')\ndf['a'] = 1",
    "import json\nd = json.load(open('x'))\nd['a']['b'] = 1",
    "cfg = {}\ncfg['a']['b'] = 1\ngrid[0][1] = 2",  # no pandas in the file at all
    "import numpy as np\ndef f(m):\n    m[0][1] = 2",  # unknown receiver, file without pandas
    PD + "class C:\n    def __init__(self):\n        self.stats = {}\n    def add(self):\n        self.stats['a']['b'] = 1",
    # unknown receivers not named like a DataFrame: dicts of dicts far more often
    PD + "class T:\n    def _more_tags(self):\n        tags = self._base_tags()\n"
         "        tags['_xfail_checks']['check_fit'] = 'msg'\n        return tags",
    PD + "def update(report, key):\n    report.table['types'][key] = 0",
    PD + "def update(res):\n    res['analysis']['title'] = 'x'",
]


@pytest.mark.parametrize("source", CHAINED_NEGATIVES)
def test_chained_assignment_stays_silent(source):
    assert lines_of(source, "ML402") == []


def test_chained_finding_sits_on_the_target():
    source = PD + "df = pd.read_csv('a.csv')\ndf['a'][df['a'] < 0] = 0\n"
    [finding] = [f for f in findings(source) if f.code == "ML402"]
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (4, 0, 20)


@pytest.mark.parametrize("source, expected", [
    (PD + "df = pd.read_csv('a.csv')\ndf['a'][df['a'] < 0] = 0", "df.loc[df['a'] < 0, 'a'] = 0"),
    (PD + "df = pd.read_csv('a.csv')\ndf[df.b > 1]['a'] = 0", "df.loc[df.b > 1, 'a'] = 0"),
    (PD + "df = pd.read_csv('a.csv')\ndf.loc[rows]['a'] = 0", "df.loc[rows, 'a'] = 0"),
    (PD + "df = pd.read_csv('a.csv')\ndf['a'].loc[rows] = 0", "df.loc[rows, 'a'] = 0"),
    (PD + "df = pd.read_csv('a.csv')\ndf['a'][3] += 1", "df.loc[3, 'a'] += 1"),
    (PD + "df = pd.read_csv('a.csv')\ndf['a'][~df.a.isna()] = 0", "df.loc[~df.a.isna(), 'a'] = 0"),
])
def test_chained_fix_uses_loc(source, expected):
    assert fixed(source, "ML402").splitlines()[-1] == expected
    assert_fix_contract(source, "ML402")


def test_chained_fix_on_an_attribute_receiver_in_a_method():
    source = PD + "class C:\n    def fix(self):\n        self.df = pd.read_csv('x')\n        self.df['a'][self.df.a < 0] = 0\n"
    assert "        self.df.loc[self.df.a < 0, 'a'] = 0" in fixed(source, "ML402")
    assert_fix_contract(source, "ML402")


@pytest.mark.parametrize("target", [
    "df['a']['b']",  # both labels: column then row label? no safe guess
    "df[col]['a']",  # df[col] may be a column, then 'a' a row label
    "df['a'][0:5]",  # a slice means positions here and labels in .loc
    "df.iloc[0]['a']",
    "df.loc[a, b]['c']",
    "df[m][n]",
])
def test_chained_without_a_clear_row_and_column_is_not_fixable(target):
    source = PD + f"df = pd.read_csv('a.csv')\n{target} = 0"
    [finding] = [f for f in findings(source) if f.code == "ML402"]
    assert not finding.fixable


# ----- ML403 result-discarded -----------------------------------------------------------------

DISCARDED_POSITIVES = [
    PD + "df = pd.read_csv('a.csv')\ndf.dropna()",
    PD + "df = pd.read_csv('a.csv')\ndf.fillna(0)",
    PD + "df = pd.read_csv('a.csv')\ndf.drop(columns=['a'])",
    PD + "df = pd.read_csv('a.csv')\ndf.rename(columns={'a': 'b'})",
    PD + "df = pd.read_csv('a.csv')\ndf.replace('?', np.nan)",
    PD + "df = pd.read_csv('a.csv')\ndf.sort_values('a', inplace=False)",
    PD + "df = pd.read_csv('a.csv')\ndf.reset_index(drop=True)",
    PD + "df = pd.read_csv('a.csv')\ndf['a'].astype(int)",
    PD + "df = pd.read_csv('a.csv')\ndf.a.clip(0, 1)",
    PD + "def clean(frame):\n    frame.drop_duplicates()\n    return frame",  # unknown receiver, pandas file
    PD + "def clean(frame):\n    frame.drop(columns=['x'])",
    PD + "def clean(frame: pd.DataFrame):\n    frame.astype('float32')",
    "from pandas import read_csv\ndata = read_csv('x')\ndata.set_index('id')",
    PD + "df = pd.read_csv('a.csv')\nfor c in cols:\n    df[c].interpolate()",
]


@pytest.mark.parametrize("source", DISCARDED_POSITIVES)
def test_result_discarded_flags(source):
    assert len(lines_of(source, "ML403")) == 1


DISCARDED_NEGATIVES = [
    PD + "items = [3, 1]\nitems.sort()",
    PD + "seen = {1}\nseen.discard(1)",
    "def clean(df):\n    df.dropna()",  # unknown receiver in a file without pandas
    PD + "name = 'a-b'\nname.replace('-', '_')",
    PD + "def f(text):\n    text.replace('a', 'b')",  # str.replace on an unknown receiver
    PD + "from pathlib import Path\np = Path('a')\np.rename('b')",
    PD + "def move(p):\n    p.rename(target)",
    PD + "df = pd.read_csv('a.csv')\ndf.dropna(inplace=True)",
    PD + "df = pd.read_csv('a.csv')\ndf = df.dropna()",
    PD + "df = pd.read_csv('a.csv')\ndf.fillna(0, **options)",
    PD + "df = pd.read_csv('a.csv')\ndf.fillna(0, inplace=flag)",
    PD + "arr = np.zeros(3)\narr.clip(0, 1)",
    PD + "arr = np.zeros(3)\narr.astype(int)",
    PD + "np.clip(x, 0, 1)",  # a module function
    PD + "def f(t):\n    t.astype(int)",  # numpy arrays have astype too
    PD + "df = pd.read_csv('a.csv')\nprint(df.dropna())",
]


@pytest.mark.parametrize("source", DISCARDED_NEGATIVES)
def test_result_discarded_stays_silent(source):
    assert lines_of(source, "ML403") == []


def test_last_expression_of_a_notebook_cell_is_displayed_not_discarded():
    cells = ("import pandas as pd\ndf = pd.read_csv('a.csv')\n", "df.dropna()\n", "df.sort_values('a')\nx = 1\n",
             "df.fillna(0)\ndf.head()\n", "df.dropna();\n", "if True:\n    df.dropna()\n")
    # cell 2: displayed; cell 3: not last; cell 4: first not last; cell 5: `;` hides it; cell 6: nested
    assert notebook_codes(*cells, code="ML403") == [("ML403", 4), ("ML403", 6), ("ML403", 8), ("ML403", 10)]


def test_result_discarded_fix_assigns_back():
    source = PD + "def clean(df):\n    df.dropna(subset=['a'])\n    return df\n"
    assert "    df = df.dropna(subset=['a'])\n" in fixed(source, "ML403")
    assert_fix_contract(source, "ML403")


def test_result_discarded_fix_on_an_attribute_receiver():
    source = PD + "class C:\n    def load(self):\n        self.df = pd.read_csv('a')\n        self.df.fillna(0)\n"
    assert "        self.df = self.df.fillna(0)\n" in fixed(source, "ML403")
    assert_fix_contract(source, "ML403")


def test_result_discarded_on_a_column_has_no_fix():
    source = PD + "df = pd.read_csv('a.csv')\ndf['a'].fillna(0)\n"
    [finding] = [f for f in findings(source) if f.code == "ML403"]
    assert not finding.fixable
