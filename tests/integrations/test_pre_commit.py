"""The pre-commit hook (.pre-commit-hooks.yaml), run by pre-commit itself with `try-repo`
on a scratch git repository: it installs mlreview from this checkout into its own
environment, as a user's `pre-commit install` would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]

LEAKY = (
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "\n"
    "X_scaled = StandardScaler().fit_transform(X)\n"
    "X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)\n"
)
CLEAN = "def add(a, b):\n    return a + b\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> dict[str, str]:
    """One pre-commit cache for the module: the hook's environment is built once."""
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}


def try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), "mlreview", "--all-files", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def scratch_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    git(path, "add", ".")
    return path


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_hook_fails_on_a_finding_and_names_it(tmp_path, pre_commit_home):
    repo = scratch_repo(tmp_path / "repo", {"train.py": LEAKY, "notes.txt": "not python\n"})
    run = try_repo(repo, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "train.py:4:" in run.stdout and "ML201" in run.stdout
    assert "notes.txt" not in run.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_hook_passes_clean_code_and_reviews_notebooks(tmp_path, pre_commit_home):
    clean = scratch_repo(tmp_path / "clean", {"util.py": CLEAN})
    run = try_repo(clean, pre_commit_home)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout

    notebook = scratch_repo(tmp_path / "notebook", {
        "kaggle.ipynb": (ROOT / "examples" / "kaggle_leaky.ipynb").read_text(encoding="utf-8")})
    run = try_repo(notebook, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "kaggle.ipynb:cell 15:" in run.stdout and "ML202" in run.stdout
