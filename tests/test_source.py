"""Reading inputs: encodings, binaries, notebooks and their cell map, suppression comments."""

from __future__ import annotations

import json

import pytest
from mlreview.parse.source import InputError, decode_source, notebook_source
from mlreview.rules.noqa import add_noqa, file_suppressions, line_suppresses


def nb(cells) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def code(source, **extra):
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], **extra}


def test_cells_are_concatenated_with_a_map_back():
    source = notebook_source(nb([
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
        code(["import numpy as np\n", "x = 1"]),
        {"cell_type": "raw", "metadata": {}, "source": "raw"},
        code("y = 2\n"),
    ]))
    assert source.text == "import numpy as np\nx = 1\ny = 2\n"
    assert [(c.index, c.first_line, c.line_count) for c in source.cells] == [(2, 1, 2), (4, 3, 1)]
    assert source.cell_at(2).index == 2 and source.cell_at(3).index == 4 and source.cell_at(9) is None


def test_magics_become_comments_of_the_same_shape():
    source = notebook_source(nb([code("%matplotlib inline\n!pip install x\ndf.head?\nz = 1"),
                                 code("%%bash\necho hi")]))
    lines = source.text.splitlines()
    assert lines[:4] == ["#matplotlib inline", "#pip install x", "#f.head?", "z = 1"]
    assert lines[4:] == ["#%bash", "#cho hi"]


@pytest.mark.parametrize("text, problem", [
    ("{not json", "invalid notebook JSON"),
    ('{"cells": 3}', "no 'cells' list"),
    ('[1, 2]', "no 'cells' list"),
    ('{"cells": [1]}', "cell 1 is not an object"),
    ('{"cells": [{"cell_type": "code", "source": 5}]}', "malformed 'source'"),
])
def test_broken_notebooks_are_named(text, problem):
    with pytest.raises(InputError, match=problem):
        notebook_source(text)


def test_empty_and_outputless_notebooks():
    assert notebook_source(nb([])).text == ""
    assert notebook_source(nb([{"cell_type": "code", "source": []}])).text == "\n"


@pytest.mark.parametrize("data, problem", [
    (b"x = '\xe9'\n", "not valid UTF-8"),
    (b"\x00\x01binary", "binary file"),
])
def test_undecodable_inputs(data, problem):
    with pytest.raises(InputError, match=problem):
        decode_source(data)


def test_bom_is_dropped():
    assert decode_source("\ufeffx = 1\n".encode("utf-8")).text == "x = 1\n"


@pytest.mark.parametrize("line, code, suppressed", [
    ("x = f()  # noqa", "ML101", True),
    ("x = f()  # noqa: ML101", "ML101", True),
    ("x = f()  # NOQA:ML101,ML102", "ML102", True),
    ("x = f()  # noqa: ML102", "ML101", False),
    ("x = f()  # mlreview: noqa: ML101", "ML101", False),  # file-level, not line-level
    ("x = f()", "ML101", False),
])
def test_line_noqa(line, code, suppressed):
    assert line_suppresses(line, code) is suppressed


def test_file_level_noqa():
    assert file_suppressions("# mlreview: noqa: ML101, ML102\nx = 1\n") == {"ML101", "ML102"}
    assert file_suppressions("x = 1  # mlreview: noqa\n") == {"*"}
    assert file_suppressions("x = 1\n") is None


@pytest.mark.parametrize("line, expected", [
    ("x = f()", "x = f()  # noqa: ML101"),
    ("x = f()  # noqa: ML102", "x = f()  # noqa: ML102, ML101"),
    ("x = f()  # noqa: ML101", "x = f()  # noqa: ML101"),
    ("x = f()  # noqa", "x = f()  # noqa"),
])
def test_add_noqa(line, expected):
    assert add_noqa(line, "ML101") == expected
