"""The notebook front end and decoding: IPython syntax, line breaks, PEP 263, error places."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlreview.engine import analyse_source
from mlreview.parse.source import InputError, decode_source, join_cells, notebook_source

SPLIT = "X_train, X_test = train_test_split(df)"  # ML101: no random_state
IMPORTS = "import pandas as pd\nfrom sklearn.model_selection import train_test_split\ndf = pd.read_csv('d.csv')\n"


def nb(*sources: str) -> str:
    cells = [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
             for s in sources]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def neutralised(cell: str) -> list[str]:
    source = join_cells([(1, cell)])
    ast.parse(source.text)
    return source.text.split("\n")[:-1]


@pytest.mark.parametrize("cell, expected", [
    ("if IS_COLAB:\n    %pip install x\n", ["if IS_COLAB:", "    pass"]),
    ("!pip install x\n%matplotlib inline", ["pass", "pass"]),
    ("x = !ls\nfiles = %sx ls -la", ["x = ...", "files = ..."]),
    ("df.head?\n?df\ndf??\n??df", ["pass"] * 4),
    ("def f():\n    obj?\n    return 1", ["def f():", "    pass", "    return 1"]),
    ("!pip install a \\\n    b\nz = 1", ["pass", "    #", "z = 1"]),
    ("%%bash\necho (\n", ["#%bash", "#cho ("]),
    ("%%time\nx = !ls\ny = 1", ["#%time", "x = ...", "y = 1"]),  # %%time's body is Python
    ("\n%%capture\ny = 1", ["", "#%capture", "y = 1"]),
])
def test_ipython_syntax_becomes_placeholders_of_the_same_shape(cell, expected):
    assert neutralised(cell) == expected


@pytest.mark.parametrize("cell", [
    "for i in range(3):  # why?\n    print(i)",  # 17.4: a comment is not help
    "y = (a\n     % b)",  # `%` continuing an expression
    "s = '''\n!not a shell escape\n%not a magic\nwhat?\n'''",  # inside a string
    "z = 1 if a != b else 2\nw = a == b",
    "msg = 'why?'",
    "t = f(x,\n      y)  # ok?",
])
def test_python_that_looks_like_ipython_is_left_alone(cell):
    assert neutralised(cell) == cell.split("\n")


def test_a_question_in_a_comment_keeps_the_cells_finding():
    source = notebook_source(nb(IMPORTS, f"for i in range(3):  # why?\n    {SPLIT}\n"))
    result = analyse_source(source)
    assert not result.problems
    assert [(f.code, source.place(f.span.line)) for f in result.findings] == [("ML101", "cell 2:2")]


def test_indented_magic_keeps_positions_of_later_findings():
    source = notebook_source(nb(IMPORTS, f"if IS_COLAB:\n    %pip install x\n{SPLIT}\n"))
    result = analyse_source(source)
    assert not result.problems
    [finding] = result.findings
    assert (finding.code, source.place(finding.span.line), finding.span.col) == ("ML101", "cell 2:3", 18)


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_cells_split_lines_as_python_does(newline):
    """17.5: CR-only breaks must not hide this cell's findings nor later cells'."""
    first = IMPORTS.replace("\n", newline)
    source = notebook_source(nb(first, f"a = 1{newline}{SPLIT}{newline}", SPLIT))
    assert [c.line_count for c in source.cells] == [3, 2, 1]
    places = [source.place(f.span.line) for f in analyse_source(source).findings]
    assert places == ["cell 2:2", "cell 3:1"]


def test_fixing_a_cr_only_cell_edits_the_right_line():
    from mlreview.fixes.pipeline import fix_all

    source = notebook_source(nb(IMPORTS.replace("\n", "\r") + SPLIT + "\r"))
    result = fix_all(source)
    fixed = result.source
    assert result.applied >= 1
    assert not [f for f in analyse_source(fixed).findings if f.code == "ML101"]
    assert "random_state" in fixed.cells[0].source.split("\r")[3]


@pytest.mark.parametrize("declaration", [
    "# -*- coding: latin-1 -*-\n", "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\n",
])
def test_pep_263_declarations_are_honoured(declaration):
    source = decode_source((declaration + "name = 'café'\n").encode("latin-1"))
    assert "café" in source.text and source.encoding == "iso8859-1"


@pytest.mark.parametrize("data, problem", [
    (b"# coding: latin-1\n" + "x = '\u20ac'\n".encode("utf-8") + b"\x81", None),  # latin-1 decodes any byte
    (b"# coding: ascii\nx = '\xe9'\n", "not valid ascii"),
    (b"# coding: klingon\nx = 1\n", "unknown encoding 'klingon'"),
    (b"# coding: utf-16\nx = 1\n", "not ASCII-compatible"),
    (b"# coding: utf-8\nx = '\xe9'\n", "not valid UTF-8"),
    (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "byte order mark contradicts"),
    (b"x = 1\n# coding: latin-1\nx = '\xe9'\n", "not valid UTF-8"),  # a declaration after code counts not
])
def test_wrong_or_late_declarations(data, problem):
    if problem is None:
        decode_source(data)
        return
    with pytest.raises(InputError, match=problem):
        decode_source(data)


def run_check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlreview", "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_reviews_magics_and_locates_syntax_errors_by_cell(tmp_path):
    (tmp_path / "colab.ipynb").write_text(nb(IMPORTS, "if IS_COLAB:\n    %pip install x\n", SPLIT))
    (tmp_path / "broken.ipynb").write_text(nb(IMPORTS, "a = 1\nb = (\n", SPLIT))
    result = run_check("colab.ipynb", "broken.ipynb", "--output-format", "json", cwd=tmp_path)
    found = sorted((f["filename"], f["cell"], f["location"]["row"]) for f in json.loads(result.stdout))
    assert found == [("broken.ipynb", 3, 1), ("colab.ipynb", 3, 1)]
    assert "broken.ipynb:cell 2:2:" in result.stderr and "syntax error" in result.stderr
    assert "colab.ipynb" not in result.stderr


def test_cli_fixes_a_latin_1_file_in_its_own_encoding(tmp_path):
    original = ("# -*- coding: latin-1 -*-\n# café\n" + IMPORTS + SPLIT + "\n").encode("latin-1")
    (tmp_path / "train.py").write_bytes(original)
    assert "train.py:6:19: ML101" in run_check("train.py", cwd=tmp_path).stdout
    run_check("train.py", "--fix", cwd=tmp_path)
    fixed = (tmp_path / "train.py").read_bytes()
    assert fixed != original and b"# caf\xe9\n" in fixed
    assert run_check("train.py", "--select", "ML101", cwd=tmp_path).returncode == 0
    (tmp_path / "lie.py").write_bytes(b"# coding: ascii\nx = '\xe9'\n")
    lie = run_check("lie.py", cwd=tmp_path)
    assert lie.returncode == 2 and "lie.py: not valid ascii" in lie.stderr
