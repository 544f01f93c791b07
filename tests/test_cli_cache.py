"""`mlreview check`'s result cache: a warm run reports exactly what a cold one does, a change
of a file or of a file it depends on is seen, and a damaged, shared or read-only cache costs
only an analysis."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NET = "from torch import nn\n\nclass Net(nn.Module):\n    pass\n"
FIT = ("import torch\nfrom models import Net\n\nnet = Net()\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
       "for batch in range(3):\n    net(batch).backward()\n    opt.step()\n")
HELPER = "import numpy as np\n\ndef set_seed(s):\n    np.random.seed(s)\n"
SEEDED = "import numpy as np\nfrom helpers import set_seed\n\nset_seed(0)\nx = np.random.rand(3)\n"
SPLIT = "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"


def mlreview(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlreview", "check", "--output-format", "json", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def codes(result: subprocess.CompletedProcess) -> set[tuple[str, str]]:
    return {(Path(item["filename"]).name, item["code"]) for item in json.loads(result.stdout)}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples", project, ignore=shutil.ignore_patterns(".mlreview_cache"))
    (project / "models.py").write_text(NET)
    (project / "fit.py").write_text(FIT)
    (project / "helpers.py").write_text(HELPER)
    (project / "seeded.py").write_text(SEEDED)
    (project / "broken.py").write_text(SPLIT + "a, b = train_test_split(pd.read_csv('d.csv'))\nc = (\n")
    for number in range(10):
        (project / f"s{number}.py").write_text(SPLIT + f"a, b = train_test_split(pd.read_csv('{number}.csv'))\n")
    return project


def cache_file(project: Path) -> Path:
    return project / ".mlreview_cache" / "check-results.json"


def runs_file(project: Path) -> Path:
    return project / ".mlreview_cache" / "check-runs.json"


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_warm_run_reports_what_a_cold_one_does(tree, jobs):
    cold = mlreview("--no-cache", "--jobs", jobs, ".", cwd=tree)
    assert not cache_file(tree).exists()  # --no-cache writes nothing
    first = mlreview("--jobs", jobs, ".", cwd=tree)
    assert cache_file(tree).is_file()
    warm = mlreview("--jobs", jobs, ".", cwd=tree)
    text_cold = subprocess.run([sys.executable, "-m", "mlreview", "check", "--no-cache", "."], cwd=tree,
                               capture_output=True, text=True, timeout=300)
    text_warm = subprocess.run([sys.executable, "-m", "mlreview", "check", "."], cwd=tree,
                               capture_output=True, text=True, timeout=300)
    for run in (first, warm):
        assert (run.returncode, run.stdout, run.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert (text_warm.stdout, text_warm.stderr) == (text_cold.stdout, text_cold.stderr)
    assert "broken.py:4:" in warm.stderr  # a syntax error is remembered too
    assert runs_file(tree).is_file()  # and the warm run was replayed whole (see the replay tests)


def test_the_cache_is_read(tree):
    """An entry whose content matches is reported as stored, without analysing the file."""
    mlreview(".", cwd=tree)
    runs_file(tree).unlink()  # no replay of the whole run: the per-file entries are read
    stored = json.loads(cache_file(tree).read_text())
    entry = stored["files"][str((tree / "s3.py").resolve())]
    entry["findings"][0]["message"] = "from the cache"
    cache_file(tree).write_text(json.dumps(stored))
    warm = json.loads(mlreview(".", cwd=tree).stdout)
    assert [item["message"] for item in warm if item["filename"].endswith("s3.py")] == ["from the cache"]


def test_a_changed_file_and_a_changed_dependency_are_analysed_again(tree):
    first = codes(mlreview(".", cwd=tree))
    assert ("s3.py", "ML101") in first and ("seeded.py", "ML103") not in first  # set_seed seeds numpy
    (tree / "s3.py").write_text(SPLIT + "a, b = train_test_split(pd.read_csv('3.csv'), random_state=0)\n")
    (tree / "helpers.py").write_text(HELPER.replace("np.random.seed(s)", "print(s)"))  # it no longer does
    warm = mlreview(".", cwd=tree)
    cold = mlreview("--no-cache", ".", cwd=tree)
    assert warm.stdout == cold.stdout
    assert ("s3.py", "ML101") not in codes(warm) and ("s4.py", "ML101") in codes(warm)
    assert ("seeded.py", "ML103") in codes(warm)


@pytest.mark.parametrize("damage", ["truncated", "foreign", "bad entry"])
def test_a_damaged_cache_is_ignored(tree, damage):
    cold = mlreview("--no-cache", ".", cwd=tree)
    mlreview(".", cwd=tree)
    runs_file(tree).unlink()  # no replay of the whole run: the per-file entries are read
    text = cache_file(tree).read_text()
    if damage == "truncated":
        cache_file(tree).write_text(text[: len(text) // 2])
    elif damage == "foreign":
        cache_file(tree).write_text('{"format": 7, "files": []}')
    else:
        stored = json.loads(text)
        for entry in stored["files"].values():
            entry["findings"] = [{"code": "ML999"}] if entry["findings"] else [[1, 2]]
        cache_file(tree).write_text(json.dumps(stored))
    again = mlreview(".", cwd=tree)
    assert (again.returncode, again.stdout, again.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert json.loads(cache_file(tree).read_text())["files"]  # rewritten whole


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_is_only_read(tree):
    cold = mlreview("--no-cache", ".", cwd=tree)
    folder = tree / ".mlreview_cache"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        run = mlreview(".", cwd=tree)
    finally:
        folder.chmod(0o755)
    assert (run.returncode, run.stdout, run.stderr) == (cold.returncode, cold.stdout, cold.stderr)


def test_an_unwritable_cache_location_changes_nothing(tree):
    """As root, which writes anywhere: the cache folder's place is taken by a file."""
    (tree / "elsewhere").write_text("not a folder\n")
    (tree / "mlreview.toml").write_text('cache-dir = "elsewhere/cache"\n')
    cold = mlreview("--no-cache", ".", cwd=tree)
    run = mlreview(".", cwd=tree)
    assert (run.returncode, run.stdout, run.stderr) == (cold.returncode, cold.stdout, cold.stderr)


def test_two_runs_at_once_both_report_what_a_cold_run_does(tree):
    cold = mlreview("--no-cache", ".", cwd=tree)
    command = [sys.executable, "-m", "mlreview", "check", "--output-format", "json", "."]
    runs = [subprocess.Popen(command, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(out == (cold.stdout, cold.stderr) for out in outputs)
    warm = mlreview(".", cwd=tree)
    assert warm.stdout == cold.stdout


def test_cache_dir_setting_moves_the_cache(tree):
    (tree / "mlreview.toml").write_text('cache-dir = "build/mlreview"\n')
    mlreview(".", cwd=tree)
    assert (tree / "build/mlreview/check-results.json").is_file()
    assert not cache_file(tree).exists()


# ----- a run whose inputs are all unchanged is replayed (cli/replay.py) --------------------


def stored_runs(project: Path) -> dict:
    return json.loads(runs_file(project).read_text())["runs"]


def mark_replays(project: Path) -> None:
    """Make every remembered run's output recognisable, so a test sees whether it was replayed."""
    stored = json.loads(runs_file(project).read_text())
    for run in stored["runs"].values():
        run["stdout"] = '["replayed"]\n'
    runs_file(project).write_text(json.dumps(stored))


def test_an_unchanged_run_is_replayed_and_any_change_runs_the_check(tree):
    mlreview(".", cwd=tree)
    mark_replays(tree)
    assert mlreview(".", cwd=tree).stdout == '["replayed"]\n'
    (tree / "s3.py").write_text(SPLIT + "a, b = train_test_split(pd.read_csv('3.csv'), random_state=0)\n")
    changed = mlreview(".", cwd=tree)
    assert changed.stdout == mlreview("--no-cache", ".", cwd=tree).stdout
    assert ("s3.py", "ML101") not in codes(changed)


def test_a_changed_cross_file_dependency_is_not_replayed(tree):
    mlreview("seeded.py", cwd=tree)
    mark_replays(tree)
    (tree / "helpers.py").write_text(HELPER.replace("np.random.seed(s)", "print(s)"))  # no longer seeds
    again = mlreview("seeded.py", cwd=tree)
    assert again.stdout == mlreview("--no-cache", "seeded.py", cwd=tree).stdout
    assert ("seeded.py", "ML103") in codes(again)


def test_a_new_file_in_the_project_is_not_replayed(tmp_path):
    """Only train.py is checked, but the project rules read every file of its project."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "projects" / "untracked_xgboost", project)
    first = mlreview("train.py", cwd=project)
    assert ("train.py", "ML601") in codes(first)
    mark_replays(project)
    (project / "tracking.py").write_text("import mlflow\n\nmlflow.log_metric('auc', 0.9)\n")
    again = mlreview("train.py", cwd=project)
    assert again.stdout == mlreview("--no-cache", "train.py", cwd=project).stdout
    assert ("train.py", "ML601") not in codes(again)


def test_other_options_and_formats_are_not_replayed_for_each_other(tree):
    as_json = mlreview(".", cwd=tree)
    as_text = subprocess.run([sys.executable, "-m", "mlreview", "check", "."], cwd=tree, capture_output=True,
                             text=True, timeout=300)
    selected = mlreview("--select", "ML101", ".", cwd=tree)
    assert len(stored_runs(tree)) == 3
    assert mlreview(".", cwd=tree).stdout == as_json.stdout
    assert subprocess.run([sys.executable, "-m", "mlreview", "check", "."], cwd=tree, capture_output=True,
                          text=True, timeout=300).stdout == as_text.stdout
    replayed = mlreview("--select", "ML101", ".", cwd=tree)
    assert {item["code"] for item in json.loads(replayed.stdout)} == {"ML101"}
    assert (replayed.returncode, replayed.stderr) == (selected.returncode, selected.stderr) == (2, selected.stderr)
    assert "broken.py:4:" in replayed.stderr  # the syntax error's message and exit status are replayed too


@pytest.mark.parametrize("damage", ["truncated", "foreign", "bad run"])
def test_a_damaged_replay_file_runs_the_check(tree, damage):
    cold = mlreview("--no-cache", ".", cwd=tree)
    mlreview(".", cwd=tree)
    text = runs_file(tree).read_text()
    if damage == "truncated":
        runs_file(tree).write_text(text[: len(text) // 2])
    elif damage == "foreign":
        runs_file(tree).write_text('{"format": 7, "runs": []}')
    else:
        stored = json.loads(text)
        for run in stored["runs"].values():
            run["files"] = [1, 2]
        runs_file(tree).write_text(json.dumps(stored))
    again = mlreview(".", cwd=tree)
    assert (again.returncode, again.stdout, again.stderr) == (cold.returncode, cold.stdout, cold.stderr)


def test_fix_and_no_cache_runs_are_neither_replayed_nor_remembered(tree):
    mlreview("--no-cache", ".", cwd=tree)
    assert not runs_file(tree).exists()
    mlreview(".", cwd=tree)
    mark_replays(tree)
    assert mlreview("--no-cache", ".", cwd=tree).stdout != '["replayed"]\n'
