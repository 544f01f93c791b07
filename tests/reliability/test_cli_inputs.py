"""`mlreview check` on hostile inputs and `--fix` on files it must not harm (issue 17).

Every test runs the real CLI as a subprocess, the way CI runs it.
"""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

LEAKY = ("import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
         "X_train, X_test = train_test_split(np.zeros(3))\n")
NO_TRACEBACK = "Traceback"


def mlreview(*args: str, cwd: Path, limit_file_size: int | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess:
    def limits():
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run([sys.executable, "-m", "mlreview", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limits)


def notebook_text(code_source: str, *, indent: int = 1) -> str:
    """A notebook with a markdown cell, a code cell whose `source` is @SOURCE@, and hostile JSON
    elsewhere: escapes (a lone surrogate among them), a number JSON cannot round-trip, unusual key order."""
    cells = [
        {"source": ["Hugging Face \ud83e\udd17 and half an emoji \ud83d\n"], "cell_type": "markdown", "metadata": {}},
        {"outputs": [{"output_type": "stream", "name": "stdout", "text": ["\ud83d\n"]}],
         "cell_type": "code", "execution_count": 1, "metadata": {"scrolled": False}, "source": "@SOURCE@"},
    ]
    document = {"nbformat_minor": 5, "cells": cells, "metadata": {"big": "@BIG@"}, "nbformat": 4}
    text = json.dumps(document, indent=indent, ensure_ascii=True).replace('"@BIG@"', "1e400")
    return text.replace('"@SOURCE@"', code_source)


def split_around(text: str, marker: str) -> tuple[str, str]:
    head, tail = text.split(marker)
    return head, tail


# ----- 17.1 / 17.6: --fix never destroys a notebook and changes only the fixed source ----------


@pytest.mark.parametrize("indent", [1, 2])
def test_notebook_fix_changes_only_the_source_of_the_fixed_cell(tmp_path, indent):
    code = json.dumps(LEAKY.splitlines(keepends=True), indent=indent)
    head, tail = split_around(notebook_text("@SOURCE@", indent=indent), "@SOURCE@")
    path = tmp_path / "nb.ipynb"
    path.write_text(head + code + tail, encoding="utf-8")
    result = mlreview("check", "--fix", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    new_text = path.read_text(encoding="utf-8")
    assert new_text.startswith(head) and new_text.endswith(tail), "bytes outside the source changed"
    new_source = json.loads(new_text[len(head):len(new_text) - len(tail)])
    assert "random_state=SEED" in "".join(new_source)
    assert all(line.endswith("\n") for line in new_source[:-1]), "one line per element, as Jupyter writes"
    again = mlreview("check", "--fix", "nb.ipynb", cwd=tmp_path)
    assert again.returncode == 0 and path.read_text(encoding="utf-8") == new_text


def test_notebook_source_as_one_string_stays_one_string(tmp_path):
    head, tail = split_around(notebook_text("@SOURCE@"), "@SOURCE@")
    path = tmp_path / "nb.ipynb"
    path.write_text(head + json.dumps(LEAKY) + tail, encoding="utf-8")
    assert mlreview("check", "--fix", "nb.ipynb", cwd=tmp_path).returncode == 0
    middle = path.read_text(encoding="utf-8")[len(head):-len(tail)]
    assert "random_state=SEED" in json.loads(middle) and middle.startswith('"')


def test_a_failed_write_leaves_the_file_whole_and_says_so(tmp_path):
    padding = "".join(f"# {i:05d} padding so the fixed file is larger than the write limit\n" for i in range(200))
    original = (LEAKY + padding).encode()
    path = tmp_path / "big.py"
    path.write_bytes(original)
    path.chmod(0o640)
    result = mlreview("check", "--fix", "big.py", cwd=tmp_path, limit_file_size=8 * 1024)
    assert path.read_bytes() == original
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert result.returncode == 2 and NO_TRACEBACK not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "big.py" in line]
    assert len(errors) == 1 and "unchanged" in errors[0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".mlreview_cache") == ["big.py"], "a temporary file was left behind"


def test_fix_keeps_permissions_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "leaky.py"
    path.write_text(LEAKY)
    path.chmod(0o751)
    assert mlreview("check", "--fix", "leaky.py", cwd=tmp_path).returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir() if p.name != ".mlreview_cache"] == ["leaky.py"]


# ----- 17.10: line breaks and BOM --------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_fix_keeps_line_breaks_and_bom(tmp_path, newline, bom):
    path = tmp_path / "leaky.py"
    path.write_bytes(bom + LEAKY.replace("\n", newline).encode())
    assert mlreview("check", "--fix", "leaky.py", cwd=tmp_path).returncode == 0
    fixed = path.read_bytes()
    assert fixed.startswith(bom) and fixed[len(bom):].decode().startswith("import numpy")
    text = fixed[len(bom):].decode()
    assert "SEED = 42" in text and "random_state=SEED" in text
    others = {"\r\n": ["\n", "\r"], "\r": ["\n"]}[newline]
    assert not any(other in text.replace(newline, "") for other in others), repr(text)
    # PEP 8: a blank line between the imports and the constant
    assert f"train_test_split{newline}{newline}SEED = 42{newline}" in text
    assert mlreview("check", "--fix", "leaky.py", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == fixed


# ----- 17.13: a fix that cannot be built -----------------------------------------------------


@pytest.mark.parametrize("name, code", [
    ("formfeed.py", LEAKY.replace("X_train", "\fX_train")),
    ("long.py", LEAKY.replace("np.zeros(3)", " + ".join(["np.zeros(3)"] * 2000))),
])
def test_unbuildable_fix_is_one_line_and_not_fixable(tmp_path, name, code):
    path = tmp_path / name
    path.write_text(code)
    result = mlreview("check", "--fix", name, cwd=tmp_path)
    assert result.returncode == 1 and NO_TRACEBACK not in result.stderr
    (line,) = result.stderr.splitlines()
    assert name in line and "ML101" in line and "could not be built" in line
    assert "ML101 `train_test_split`" in result.stdout, "shown without the fixable marker"
    assert "fixable" not in result.stdout and path.read_text() == code
    report = json.loads(mlreview("check", "--output-format", "json", name, cwd=tmp_path).stdout)
    assert [item["fix"] for item in report] == [None]


# ----- 17.3 / 17.14 / 17.18: input errors ------------------------------------------------------


def test_deeply_nested_notebook_is_an_input_error_and_others_are_reported(tmp_path):
    (tmp_path / "deep.ipynb").write_text("[" * 5000 + "]" * 5000)
    (tmp_path / "leaky.py").write_text(LEAKY)
    for fmt in ("text", "json"):
        result = mlreview("check", "--output-format", fmt, "deep.ipynb", "leaky.py", cwd=tmp_path)
        assert result.returncode == 2 and NO_TRACEBACK not in result.stderr
        (line,) = result.stderr.splitlines()
        assert "deep.ipynb" in line and "nested too deeply" in line
        assert "ML101" in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_special_files_are_skipped_with_a_message(tmp_path):
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    (tmp_path / "leaky.py").write_text(LEAKY)
    started = time.monotonic()
    result = mlreview("check", "/dev/zero", "pipe.py", "leaky.py", cwd=tmp_path, timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 2 and NO_TRACEBACK not in result.stderr
    assert [("/dev/zero" in line or "pipe.py" in line) and "not a regular file" in line
            for line in result.stderr.splitlines()] == [True, True]
    assert "ML101" in result.stdout


def test_a_huge_file_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.py"
    with open(huge, "wb") as handle:  # sparse: 30 MB of size, no data written
        handle.truncate(30 * 1024 * 1024)
    result = mlreview("check", "huge.py", cwd=tmp_path)
    assert result.returncode == 2 and "larger than 20 MB" in result.stderr


def test_too_much_code_is_skipped_not_parsed(tmp_path):
    (tmp_path / "data.py").write_text("x = [" + ", ".join(["12345"] * 400_000) + "]\n")
    result = mlreview("check", "data.py", cwd=tmp_path)
    assert result.returncode == 2 and "MB of code" in result.stderr and NO_TRACEBACK not in result.stderr


def test_missing_path_prints_only_the_error(tmp_path):
    result = mlreview("check", "missing.py", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert "missing.py" in result.stderr


# ----- 17.12: a closed pipe ---------------------------------------------------------------------


def test_output_piped_into_a_reader_that_leaves(tmp_path):
    for i in range(300):
        (tmp_path / f"leaky_{i:03d}.py").write_text(LEAKY)
    process = subprocess.Popen([sys.executable, "-m", "mlreview", "check", "."], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)
    assert stderr == ""


def test_notebook_fix_never_edits_the_wrong_line_of_a_cr_only_cell(tmp_path):
    """CR-only breaks in one cell must not shift the fixes of the later cells onto other lines."""
    cells = ["import pandas as pd\rfrom sklearn.model_selection import train_test_split\r",
             'df = pd.read_csv("d.csv")\nX_train, X_test = train_test_split(df)\nprint(len(X_train))']
    document = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                           "source": text} for text in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "cr.ipynb"
    path.write_text(json.dumps(document, indent=1))
    result = mlreview("check", "--fix", "cr.ipynb", cwd=tmp_path)
    assert NO_TRACEBACK not in result.stderr
    fixed = [cell["source"] for cell in json.loads(path.read_text())["cells"]]
    for before, after in zip(cells, fixed):
        kept = [line for line in after.replace("\r", "\n").splitlines()]
        for line in before.replace("\r", "\n").splitlines():
            assert any(k.startswith(line.split("(")[0]) for k in kept), f"{line!r} lost from {after!r}"
    assert "print(len(X_train))" in fixed[1]


def test_all_selectors_from_the_command_line_and_the_config(tmp_path):
    (tmp_path / "leaky.py").write_text(LEAKY)
    assert mlreview("check", "--ignore", "ALL", "leaky.py", cwd=tmp_path).returncode == 0
    assert mlreview("check", "--select", "ALL", "leaky.py", cwd=tmp_path).returncode == 1
    assert mlreview("check", "--ignore", "ALL", "--extend-select", "ML101", "leaky.py", cwd=tmp_path).returncode == 1
    (tmp_path / "mlreview.toml").write_text('ignore = ["ALL"]\n[severity]\nML1 = "error"\n')
    assert mlreview("check", "leaky.py", cwd=tmp_path).returncode == 0
    (tmp_path / "mlreview.toml").write_text('[severity]\nALL = "hint"\nML1 = "error"\n')
    report = json.loads(mlreview("check", "--output-format", "json", "leaky.py", cwd=tmp_path).stdout)
    assert [item["severity"] for item in report] == ["error"]


def test_fix_all_runs_to_a_fixed_point_and_says_when_it_stopped_short():
    from mlreview.parse.source import SourceText
    from mlreview.fixes.pipeline import fix_all

    # ML207 fixes one table per pass: three tables holding the target take three passes.
    code = ("import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
            "df = pd.read_csv('d.csv')\nparts = train_test_split(df, df, df, df['target'], random_state=0)\n")
    short = fix_all(SourceText(code), max_passes=2)
    assert not short.converged and short.source.text.count('drop(columns=["target"])') == 2
    full = fix_all(SourceText(code))
    assert full.converged and full.source.text.count('drop(columns=["target"])') == 3
    assert not fix_all(full.source).changed
