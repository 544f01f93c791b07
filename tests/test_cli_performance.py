"""`mlreview check` as pre-commit runs it: workers that change nothing in the output, and a
small file checked without the language server's, jedi's or libcst's imports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPLIT = "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"


def mlreview(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlreview", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The demo project, a workspace model imported from another file, files that fail, and
    enough scripts for several workers, each with its own finding."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples", project, ignore=shutil.ignore_patterns(".mlreview_cache"))
    (project / "models.py").write_text("from torch import nn\n\nclass Net(nn.Module):\n    pass\n")
    (project / "fit.py").write_text(
        "import torch\nfrom models import Net\n\nnet = Net()\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
        "for batch in range(3):\n    net(batch).backward()\n    opt.step()\n")
    (project / "broken.py").write_text(SPLIT + "a, b = train_test_split(pd.read_csv('d.csv'))\nc = (\n")
    (project / "latin1.py").write_bytes(b"x = '\xe9'\n")
    scripts = project / "scripts"
    scripts.mkdir()
    for number in range(24):
        (scripts / f"s{number:02}.py").write_text(SPLIT + f"a, b = train_test_split(pd.read_csv('{number}.csv'))\n")
    return project


@pytest.mark.parametrize("options", [("--output-format", "json"), ("--output-format", "text"),
                                     ("--output-format", "sarif"), ("--output-format", "json", "--no-project")],
                         ids=["json", "text", "sarif", "no-project"])
def test_workers_change_nothing_in_the_output(tree, options):
    alone = mlreview("check", *options, "--jobs", "1", ".", cwd=tree)
    workers = mlreview("check", *options, "--jobs", "3", ".", cwd=tree)
    assert alone.returncode == 2  # the broken and the unreadable file are errors; the others are checked
    assert (workers.returncode, workers.stdout, workers.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    if options[1] == "json":
        codes = {(Path(item["filename"]).name, item["code"]) for item in json.loads(workers.stdout)}
        assert ("s23.py", "ML101") in codes and ("broken.py", "ML101") in codes
        assert any(name == "fit.py" and code == "ML104" for name, code in codes)  # Net resolved in models.py


def test_jobs_must_be_a_positive_number(tree):
    refused = mlreview("check", "--jobs", "0", ".", cwd=tree)
    assert refused.returncode == 2 and "--jobs" in refused.stderr


HEAVY = ("pygls", "lsprotocol", "jedi", "libcst", "parso", "cattrs")
# No configuration file to read; with no cache entry to write, nothing needs tempfile (nor shutil,
# which tempfile and argparse would import).
UNNEEDED = {(): ("tomllib",), ("--no-cache",): ("tomllib", "tempfile", "shutil")}


@pytest.mark.parametrize("options", [(), ("--no-cache",)])
def test_checking_a_small_file_imports_no_server_jedi_or_libcst(tmp_path, options):
    (tmp_path / "train.py").write_text(SPLIT + "a, b = train_test_split(pd.read_csv('d.csv'))\n")
    unneeded = HEAVY + UNNEEDED[options]
    probe = ("import sys\nfrom mlreview.cli import main\n"
             f"status = main(['check', '--exit-zero', *{options!r}, 'train.py'])\n"
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {unneeded!r}))\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "ML101" in result.stdout, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def run_on_a_terminal(folder: Path, *args: str) -> tuple[str, str]:
    """(stdout, what stderr showed) of a check whose stderr is a pseudo-terminal; the progress
    line is shown from the start (SHOW_AFTER = 0) so that a short run shows it too."""
    import os
    import pty

    probe = ("import sys\nfrom mlreview.cli import progress\nprogress.SHOW_AFTER = 0\n"
             "from mlreview.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    leader, follower = pty.openpty()
    # stdout goes to a file: a pipe nobody reads while the terminal is read fills up and blocks the child
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        process = subprocess.Popen([sys.executable, "-c", probe, *args], cwd=folder, stdout=output,
                                   stderr=follower, text=True)
        os.close(follower)
        shown = b""
        while True:
            try:
                piece = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not piece:
                break
            shown += piece
        process.wait(timeout=300)
        os.close(leader)
        output.seek(0)
        stdout = output.read()
    return stdout, shown.decode("utf-8", "replace")


def test_a_terminal_sees_progress_and_a_pipe_or_json_never_does(tree):
    progress = re.compile(r"mlreview: checked \d+/\d+ files")
    stdout, shown = run_on_a_terminal(tree, "check", "--jobs", "2", ".")
    assert progress.search(shown) and "mlreview: broken.py:4:" in shown
    # every drawing is erased before the next message and at the end: no message joins the line
    assert not progress.search(re.sub(r"mlreview: checked \d+/\d+ files\r\033\[K", "", shown))
    assert "mlreview: checked" not in stdout and "Found" in stdout
    stdout, shown = run_on_a_terminal(tree, "check", "--output-format", "json", ".")
    assert "mlreview: checked" not in shown and json.loads(stdout)
    piped = mlreview("check", ".", cwd=tree)
    assert "mlreview: checked" not in piped.stderr and "broken.py" in piped.stderr
