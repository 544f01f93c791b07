"""Adversarial inputs to the engine and the CLI: a clear outcome, in bounded time, every time.

A clear outcome is findings (maybe none) plus parse problems for what does not
parse, or for the CLI one message naming the file and exit status 2. Never an
exception escaping, never a rule failing, never a RecursionError.
"""

from __future__ import annotations

import ast
import json
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, analyse_cleanly, example_scripts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mlreview.cli import main as cli_main
from mlreview.engine import DocumentAnalyzer, analyse_text, cyclic_gc_paused
from mlreview.fixes.api import build_fix
from mlreview.parse.source import InputError, SourceText, decode_source

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ----- random text, bytes and notebooks (hypothesis) -----------------------------------------

# Fragments of ML code, so random sequences reach the rules and not just the parser.
TOKENS = [
    "import numpy as np\n", "import pandas as pd\n", "import torch\n", "import torch.nn as nn\n",
    "from sklearn.model_selection import train_test_split\n",
    "from sklearn.preprocessing import StandardScaler\n", "import pickle\n", "import random\n",
    "X", "y", "df", "model", "scaler", "np", "pd", "torch", "nn", "optimizer", "loss", "batch",
    "train_test_split(", "StandardScaler()", ".fit(", ".fit_transform(", ".transform(",
    ".predict(", ".backward()", ".step()", ".zero_grad()", ".eval()", ".train()", "pickle.load(",
    "torch.load(", "pd.read_csv(", "np.random.rand(", "random.seed(", "torch.manual_seed(",
    "random_state=", "test_size=0.2", "(", ")", "[", "]", "{", "}", ",", ":", "=", ".", "+", "*",
    " ", "\n", "    ", "\t", "\r\n", "#", "# noqa", "'s'", '"""', "0", "42", "for ", " in ", "if ",
    "else:", "def f(", "class C(nn.Module):", "with torch.no_grad():", "return ", "lambda ",
    "é", "😀", "中文", "\u0301", "\x00", "\x0c", "\u2028", "\\",
]
python_soup = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_gives_a_clear_outcome(text):
    analyse_cleanly(text)


@FUZZ
@given(python_soup)
def test_random_ml_token_soup_gives_a_clear_outcome(text):
    result = analyse_cleanly(text)
    for finding in result.findings:  # and building a fix for what it found never raises either
        build_fix(text, finding)


@FUZZ
@given(st.binary(max_size=400), st.booleans())
def test_random_bytes_are_analysed_or_rejected_with_a_message(data, notebook):
    try:
        source = decode_source(data, notebook=notebook)
    except InputError as exc:
        assert str(exc)
        return
    analyse_cleanly(source)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
cells = st.fixed_dictionaries(
    {},
    optional={
        "cell_type": st.sampled_from(["code", "markdown", "raw", "unknown"]) | json_values,
        "source": python_soup | st.lists(python_soup, max_size=4) | json_values,
        "outputs": json_values,
        "metadata": json_values,
    },
)
notebooks = st.one_of(
    st.fixed_dictionaries({"cells": st.lists(cells, max_size=5)},
                          optional={"metadata": json_values, "nbformat": json_values}),
    json_values,
)


@FUZZ
@given(notebooks)
def test_random_notebook_json_is_analysed_or_rejected_with_a_message(notebook):
    try:
        source = decode_source(json.dumps(notebook).encode(), notebook=True)
    except InputError as exc:
        assert str(exc)
        return
    analyse_cleanly(source)


# ----- real files cut at every top-level statement --------------------------------------------


def statement_cuts(text: str) -> list[str]:
    """The file cut after each top-level statement, and in the middle of each multi-line one."""
    lines = text.splitlines(keepends=True)
    cuts = []
    for stmt in ast.parse(text).body:
        if stmt.end_lineno > stmt.lineno:
            cuts.append("".join(lines[: stmt.lineno]))  # a statement left open
        cuts.append("".join(lines[: stmt.end_lineno]))
    return cuts


def check_cuts(text: str) -> int:
    """Every cut analysed fresh and incrementally (the editor's view); both must agree."""
    cuts = statement_cuts(text)
    editor = DocumentAnalyzer()
    for cut in cuts + cuts[::-1]:  # typing the file in, then deleting it back
        fresh = analyse_cleanly(cut)
        incremental = editor.analyse(SourceText(cut))
        assert not incremental.rule_errors, incremental.rule_errors
        assert [(f.code, f.span) for f in incremental.findings] == [(f.code, f.span) for f in fresh.findings]
    return len(cuts)


@pytest.mark.parametrize("path", example_scripts(), ids=lambda p: p.name)
def test_example_files_cut_at_every_statement(path):
    assert check_cuts(path.read_text(encoding="utf-8")) > 5


def test_example_notebook_cut_at_every_cell():
    raw = json.loads((EXAMPLES / "kaggle_leaky.ipynb").read_text(encoding="utf-8"))
    for count in range(len(raw["cells"]) + 1):
        truncated = dict(raw, cells=raw["cells"][:count])
        analyse_cleanly(decode_source(json.dumps(truncated).encode(), notebook=True))


@pytest.mark.slow
def test_sklearn_examples_cut_at_every_statement(sklearn_files):
    sample = sklearn_files[::40]  # 8 real ML scripts, each cut 20-100 ways
    assert sum(check_cuts(path.read_text(encoding="utf-8")) for path in sample) > 150


# ----- deep nesting and long chains ---------------------------------------------------------

HEADER = """\
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import pickle, joblib, random
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
df = pd.read_csv("data.csv")
X, y = df.drop(columns="y"), df["y"]
model = nn.Linear(2, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
"""
# Receivers the rules care about: each deep shape is rooted in every one of them.
ROOTS = ["a", "np", "df", "X", "torch", "model", "optimizer", "StandardScaler()", "LogisticRegression()",
         "torch.tensor(X)", "pd.read_csv('x')", "np.random", "random", "pickle", "joblib", "df['y']"]
DEPTH = 1000
BRACKETS = 199  # Python's tokenizer refuses more than 200 nested brackets


def deep_shapes(root: str, n: int = DEPTH) -> dict[str, str]:
    return {
        "method_chain": root + ".fit(X)" * n,
        "mixed_chain": root + ".to(X).fillna(0)[0].values" * (n // 4),
        "attribute_chain": root + ".a" * n,
        "subscript_chain": root + "[0]" * n,
        "nested_calls": "f(" * BRACKETS + root + ")" * BRACKETS,
        "nested_calls_too_deep": "f(" * n + root + ")" * n,
        "nested_root_calls": (root + "(") * BRACKETS + "X" + ")" * BRACKETS,
        "nested_lists": "[" * BRACKETS + root + "]" * BRACKETS,
        "brackets_too_deep": "(" * n + root + ")" * n,
        "binop": " + ".join([root] * n),
        "boolop": " and ".join([root] * n),
        "compare": " < ".join([root] * n),
        "conditional": f"{root} if c else " * n + root,
        "lambda": "lambda: " * n + root,
        "unary": "-" * n + root,
        "not": "not " * n + root,
        "split_of_chain": f"train_test_split({root}" + ".fillna(0)" * n + ", y, random_state=0)",
        "fit_of_chain": f"StandardScaler().fit({root}" + ".dropna()" * n + ")",
        "string_concat": " + ".join(["'s'"] * n),
    }


CONTEXTS = [
    "x = {e}\n",
    "{e}\n",
    "x += {e}\n",
    "a, b = {e}\n",
    "def g(x=0):\n    x = {e}\n    return x\n",
    "for batch in loader:\n    loss = {e}\n    loss.backward()\n    optimizer.step()\n",
    "with torch.no_grad():\n    out = {e}\n",
    "if {e}:\n    model.fit(X, y)\n",
]


def deep_file(shape: str) -> str:
    """Every root once, each in a different context (every context used twice)."""
    parts = [HEADER]
    for index, root in enumerate(ROOTS):
        parts.append(CONTEXTS[index % len(CONTEXTS)].format(e=deep_shapes(root)[shape]))
    return "".join(parts)


@pytest.mark.parametrize("shape", list(deep_shapes("a")))
def test_deep_nesting_never_raises(shape):
    text = deep_file(shape)
    result = analyse_cleanly(text, limit=6.0)  # 16 deep statements, up to 100,000 nodes
    for finding in result.findings:
        build_fix(text, finding)  # fixes are built by libcst: must not raise either
    # Each statement is its own chunk: one that Python cannot parse does not hide the others.
    assert len(result.problems) <= len(ROOTS)


def test_deep_chain_of_a_fitted_scaler_still_reviewed():
    """A 1,000-deep chain between two flagged statements must not hide either finding."""
    text = HEADER + "scaler = StandardScaler()\nscaler.fit(X)\nz = a" + ".b()" * DEPTH + "\n" \
        + "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
    assert analyse_cleanly(text).findings


# ----- size ------------------------------------------------------------------------------


def lines_of_real_code(count: int) -> str:
    """Whole real files (sklearn examples if available, else ours) appended up to `count` lines."""
    try:
        from bench.corpus import CorpusUnavailable, example_files
        files = example_files()
    except (ImportError, CorpusUnavailable):
        files = example_scripts()
    texts = [t for t in (p.read_text(encoding="utf-8") for p in files) if "from __future__" not in t]
    parts, total = [], 0
    while total < count:
        for text in texts:
            parts.append(text if text.endswith("\n") else text + "\n")
            total += parts[-1].count("\n")
            if total >= count:
                break
    return "".join(parts)


# DESIGN.md measured `ast.parse` at 43 ms per 4,096 lines on an idle machine of this kind.
IDLE_PARSE_SECONDS_PER_LINE = 0.043 / 4096


def cpu_seconds(function) -> float:
    with cyclic_gc_paused():  # as the engine runs
        started = time.process_time()
        function()
        return time.process_time() - started


GUARD_SECONDS = 4.0  # twice the 2 s that 50,000 lines took when this guard was set


def test_fifty_thousand_lines_without_a_super_linear_path():
    text = lines_of_real_code(50_000)
    lines = text.count("\n")
    # Other work on this shared 2-core machine slows even CPU time (caches, turbo): scale the
    # budget by how much slower than idle the C parser itself runs right now, never below 1.
    parse = min(cpu_seconds(lambda: ast.parse(text)) for _ in range(2))
    slowdown = max(1.0, parse / (IDLE_PARSE_SECONDS_PER_LINE * lines))
    results = []
    cpu = min(cpu_seconds(lambda: results.append(analyse_text(text))) for _ in range(2))
    print(f"\n{lines} lines: analysis {cpu:.2f} s CPU, ast.parse {parse:.2f} s "
          f"(machine {slowdown:.1f}x slower than idle), {len(results[0].findings)} findings")
    assert not results[0].rule_errors and not results[0].problems
    # A guard against super-linear paths (they show as 10x), not the speed target: timings of
    # the whole suite's machine are too noisy for that (the bench measures speed).
    assert cpu < GUARD_SECONDS * slowdown, f"{cpu:.2f} s CPU for {lines} lines (guard {GUARD_SECONDS * slowdown:.2f} s)"


@pytest.mark.parametrize("line", [
    "x = [" + "1, " * 33_333 + "]\n",
    "s = '" + "a" * 100_000 + "'\n",
    "# " + "comment " * 12_500 + "\n",
    "x = 1; " * 14_300 + "\n",
    "y = a" + ".b" * 50_000 + "\n",  # deeper than Python's parser goes
    "import numpy as np\nz = np.array([" + "np.random.rand(), " * 5_000 + "])\n",
], ids=["list", "string", "comment", "statements", "attributes", "calls"])
def test_hundred_thousand_character_line(line):
    analyse_cleanly(line)


def test_null_bytes_and_surrogates_are_parse_problems_not_crashes():
    for text in ["x = 1\0\n", "\0", "import torch\nx = '\0'\n", "x = '\ud800'\n", "\udcff = 1\n"]:
        assert analyse_cleanly(text).problems, repr(text)


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n", "# only\n# comments\n", "#", "   \n\t\n",
                                  "'''docstring only'''\n"])
def test_empty_and_comment_only_files(text):
    result = analyse_cleanly(text)
    assert result.findings == [] and result.problems == []


# ----- the CLI: one clear message, exit status 2, or findings ----------------------------------

NOTEBOOK_CELL = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                 "source": ["import pickle\n", "model = pickle.load(open('m.pkl', 'rb'))\n"]}
BAD_NOTEBOOKS = {
    "invalid_json": b"{\"cells\": [",
    "not_an_object": b"[1, 2, 3]",
    "no_cells": b"{\"metadata\": {}}",
    "cells_not_a_list": b"{\"cells\": {\"a\": 1}}",
    "cell_not_an_object": b"{\"cells\": [1]}",
    "source_not_text": json.dumps({"cells": [dict(NOTEBOOK_CELL, source=[1, 2])]}).encode(),
    "source_null": json.dumps({"cells": [dict(NOTEBOOK_CELL, source=None)]}).encode(),
    "not_utf8": b"{\"cells\": [\xff]}",
    "empty": b"",
}
GOOD_NOTEBOOKS = {
    "markdown_and_raw_cells": {"cells": [{"cell_type": "markdown", "source": "# t"},
                                         {"cell_type": "raw", "source": ["x = ("]}, NOTEBOOK_CELL]},
    "string_source": {"cells": [dict(NOTEBOOK_CELL, source="".join(NOTEBOOK_CELL["source"]))]},
    "missing_source": {"cells": [{"cell_type": "code"}, NOTEBOOK_CELL]},
    "missing_cell_type": {"cells": [{"source": "x = ("}, NOTEBOOK_CELL]},
    "huge_outputs": {"cells": [dict(NOTEBOOK_CELL, outputs=[
        {"output_type": "stream", "name": "stdout", "text": ["x" * 1000 + "\n"] * 5000}])]},
    "no_cells_at_all": {"cells": []},
    "magics": {"cells": [dict(NOTEBOOK_CELL, source=["%matplotlib inline\n", "!pip install x\n", "df?\n",
                                                    "import pickle\n", "m = pickle.load(f)\n"])]},
    "cell_magic": {"cells": [dict(NOTEBOOK_CELL, source=["%%bash\n", "echo (\n"]), NOTEBOOK_CELL]},
}


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    try:
        status = cli_main(["check", *args])
    except SystemExit as exc:  # argparse
        status = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def assert_one_clear_message(path: Path, status: int, err: str) -> None:
    assert status == 2
    messages = err.strip().splitlines()
    assert len(messages) == 1 and str(path) in messages[0], err


@pytest.mark.parametrize("name", sorted(BAD_NOTEBOOKS))
def test_cli_rejects_a_bad_notebook_with_one_message(name, tmp_path, capsys):
    path = tmp_path / f"{name}.ipynb"
    path.write_bytes(BAD_NOTEBOOKS[name])
    status, _, err = run_cli([str(path)], capsys)
    assert_one_clear_message(path, status, err)


@pytest.mark.parametrize("name", sorted(GOOD_NOTEBOOKS))
def test_cli_analyses_an_odd_but_valid_notebook(name, tmp_path, capsys):
    path = tmp_path / f"{name}.ipynb"
    path.write_text(json.dumps(GOOD_NOTEBOOKS[name]), encoding="utf-8")
    started = time.process_time()
    status, out, err = run_cli([str(path), "--output-format", "json"], capsys)
    assert time.process_time() - started < 3
    assert status in (0, 1), err
    for finding in json.loads(out):
        assert finding["cell"] is not None and finding["location"]["row"] >= 1


@pytest.mark.parametrize("data, problem", [
    (b"x = 1\0\n", "NUL"),
    ("x = 'caf\xe9'\n".encode("latin-1"), "UTF-8"),
    ("x = 1\n".encode("utf-16"), "NUL"),
])
def test_cli_rejects_unreadable_python_with_one_message(data, problem, tmp_path, capsys):
    path = tmp_path / "bad.py"
    path.write_bytes(data)
    status, _, err = run_cli([str(path)], capsys)
    assert_one_clear_message(path, status, err)
    assert problem in err


@pytest.mark.parametrize("text", ["", "# just a comment\n", "\ufeffimport os\n"])
def test_cli_on_empty_and_comment_only_files(text, tmp_path, capsys):
    path = tmp_path / "empty.py"
    path.write_text(text, encoding="utf-8")
    assert run_cli([str(path)], capsys)[0] == 0


def test_cli_on_a_deep_and_a_broken_file(tmp_path, capsys):
    deep = tmp_path / "deep.py"
    deep.write_text(deep_file("method_chain") + deep_file("brackets_too_deep"), encoding="utf-8")
    status, out, err = run_cli([str(deep), "--output-format", "json"], capsys)
    json.loads(out)
    # The too-deep statements are syntax errors (status 2, one line each, naming the file);
    # the rest of the file is still reviewed.
    assert status == 2 and all(line.startswith(f"mlreview: {deep}:") for line in err.strip().splitlines())


# ----- long chains through definitions (classes, aliases) ---------------------------------------

CHAIN_HEADER = HEADER + "import keras\nfrom transformers import Trainer\n"


def class_chain(base: str, n: int = DEPTH) -> str:
    return f"class C0({base}):\n    pass\n" + "".join(f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, n))


def alias_chain(first: str, n: int = DEPTH) -> str:
    return f"v0 = {first}\n" + "".join(f"v{i} = v{i - 1}\n" for i in range(1, n))


LAST = f"C{DEPTH - 1}"
ALIAS = f"v{DEPTH - 1}"
CHAINS = {
    "torch_class_chain": class_chain("nn.Module") + f"m = {LAST}()\nm.train()\nwith torch.no_grad():\n    m(X)\n",
    "sklearn_class_chain": class_chain("LogisticRegression") + f"m = {LAST}()\nm.fit(X, y)\n",
    "keras_class_chain": class_chain("keras.Model") + f"m = {LAST}()\nm.fit(X, y)\n",
    "trainer_class_chain": class_chain("Trainer") + f"t = {LAST}()\nt.train()\n",
    "class_cycle": "class A(B):\n    pass\nclass B(A):\n    pass\nm = A()\nm.fit(X, y)\nm.train()\n"
                   "with torch.no_grad():\n    m(X)\njoblib.dump(m, 'm.pkl')\n",
    "estimator_aliases": alias_chain("StandardScaler()") + f"{ALIAS}.fit(X)\npickle.dump({ALIAS}, open('m', 'wb'))\n",
    "frame_aliases": alias_chain("pd.read_csv('a')") + f"{ALIAS}['a'] = {ALIAS}['a'].fillna({ALIAS}['a'].mean())\n"
                     f"X_train, X_test = train_test_split({ALIAS}, random_state=0)\n",
    "module_aliases": alias_chain("nn.Linear(1, 1)") + f"with torch.no_grad():\n    {ALIAS}(X)\ntorch.save({ALIAS}, 'm.pt')\n",
    "path_aliases": alias_chain("'model.pkl'") + f"m = joblib.load({ALIAS})\ntorch.save(m, {ALIAS})\n",
    "alias_cycle": "a = b\nb = a\na.fit(X)\npickle.dump(a, open('m', 'wb'))\nwith torch.no_grad():\n    a(X)\n",
    "list_of_models": "models = [" + ", ".join(["LogisticRegression()"] * DEPTH) + "]\nfor m in models:\n    m.fit(X, y)\n",
    "nested_loops": "".join("    " * i + f"for i{i} in loader:\n" for i in range(90)) + "    " * 90 + "model(X).backward()\n",
    "nested_functions": "".join("    " * i + f"def f{i}():\n" for i in range(90)) + "    " * 90 + "torch.manual_seed(0)\n",
    "nested_tuple_target": "(" * 190 + "a, b" + ")" * 190 + " = X, y\n",
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_long_chains_through_definitions(name):
    text = CHAIN_HEADER + CHAINS[name]
    result = analyse_cleanly(text)
    assert not result.problems
    for finding in result.findings:
        build_fix(text, finding)


def test_cli_follows_a_long_class_chain_in_another_file(tmp_path, capsys):
    """Cross-file resolution (jedi) over a 1,000-class chain in an imported workspace module."""
    (tmp_path / "models.py").write_text("import torch.nn as nn\n" + class_chain("nn.Module"), encoding="utf-8")
    script = tmp_path / "train.py"
    script.write_text(f"import torch\nfrom models import {LAST}\nm = {LAST}()\nm.train()\n"
                      "with torch.no_grad():\n    y = m(x)\n", encoding="utf-8")
    status, out, err = run_cli([str(script), "--output-format", "json"], capsys)
    assert status in (0, 1) and not err
    json.loads(out)
