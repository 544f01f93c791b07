"""Safety: reviewing code never imports, executes or evaluates it, never opens a network
connection, and writes files only for `--fix`.

Hostile trees are checked through the CLI (as a subprocess, the way CI and editors run
it) and through the engine in-process under a Python audit hook that records every
import of a file in the tree, exec of a code object, socket use, process spawn and
file opened for writing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from mlreview.engine import analyse_source
from mlreview.parse.source import read_path
from mlreview.fixes.api import build_fix
from mlreview.fixes.pipeline import fix_all
from support import EVERY_RULE


def payload(marker: Path, name: str) -> str:
    return f"open({str(marker / name)!r}, 'w').write('executed')\n"


def hostile_tree(root: Path, marker: Path) -> Path:
    """A project whose code, if imported or run in any way, leaves a file in `marker`."""
    project = root / "project"
    project.mkdir()
    (project / "evil.py").write_text(payload(marker, "evil-imported"), encoding="utf-8")
    # Modules a Python program (mlreview included) might import by name from the working directory.
    for shadow in ("argparse", "json", "fnmatch", "difflib", "tomllib", "numpy", "torch", "sklearn", "pygls",
                   "libcst", "jedi", "sitecustomize", "usercustomize"):
        (project / f"{shadow}.py").write_text(payload(marker, f"{shadow}-shadow-imported"), encoding="utf-8")
    (project / "train.py").write_text(
        "import evil\nfrom evil import thing\nimport pickle\nimport numpy as np\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "from sklearn.model_selection import train_test_split\n"
        + payload(marker, "top-level-executed")
        + "__import__('evil')\nexec(" + repr(payload(marker, "exec-executed")) + ")\n"
        "eval(compile(" + repr(payload(marker, "eval-executed")) + ", 'x', 'exec'))\n"
        "model = pickle.load(open('m.pkl', 'rb'))\n"
        "X_train, X_test = train_test_split(np.zeros((10, 2)))\n"
        "scaler = StandardScaler().fit(np.zeros((10, 2)))\n"
        "if __name__ == '__main__':\n    " + payload(marker, "main-executed"),
        encoding="utf-8",
    )
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": ["import evil\n", "!touch " + str(marker / "shell-executed") + "\n",
                                      payload(marker, "notebook-executed")]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (project / "explore.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    package = project / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text(payload(marker, "package-imported"), encoding="utf-8")
    (package / "models.py").write_text("from . import evil_rel\nimport torch\nmodel = torch.load('m.pt')\n",
                                       encoding="utf-8")
    (package / "evil_rel.py").write_text(payload(marker, "relative-imported"), encoding="utf-8")
    (project / "pyproject.toml").write_text("[tool.mlreview]\nselect = ['ML']\n", encoding="utf-8")
    return project


def tree_digest(root: Path) -> dict[str, str]:
    """Every file but mlreview's own cache (`.mlreview_cache/`, like ruff's, DESIGN.md round 2)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".mlreview_cache" not in p.relative_to(root).parts}


@pytest.fixture
def hostile(tmp_path):
    marker = tmp_path / "markers"
    marker.mkdir()
    return hostile_tree(tmp_path, marker), marker


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlreview", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def test_cli_runs_nothing_from_the_checked_tree_and_changes_nothing(hostile):
    project, marker = hostile
    before = tree_digest(project)
    for output_format in ("text", "json", "sarif", "github"):
        result = run_cli(["check", ".", "--output-format", output_format], cwd=project)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert list(marker.iterdir()) == []
    assert tree_digest(project) == before, "checking without --fix changed or created files"


def test_cli_fix_writes_only_the_fixed_files(hostile):
    project, marker = hostile
    before = tree_digest(project)
    result = run_cli(["check", ".", "--fix", "--exit-zero"], cwd=project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    after = tree_digest(project)
    assert list(marker.iterdir()) == []
    assert set(after) == set(before), "--fix created or deleted files"
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= {"train.py", "explore.ipynb", "pkg/models.py"}


# ----- in-process, under an audit hook --------------------------------------------------------

WATCHING: dict[str, object] = {"root": None, "events": None, "modules": None}


def audit(event: str, args: tuple) -> None:
    root, events = WATCHING["root"], WATCHING["events"]
    if root is None:
        return
    if event == "import":  # raised before the module is found: match the names the tree defines
        if args[0].split(".")[0] in WATCHING["modules"]:
            events.append((event, args[0]))
    elif event == "exec":  # any code object run at all (an imported module's body included)
        events.append((event, getattr(args[0], "co_filename", repr(args[0])[:80])))
    elif event.startswith(("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.fork",
                           "urllib.")):
        events.append((event, repr(args)[:80]))
    elif event == "open":
        path, mode = args[0], args[1]
        if isinstance(mode, str) and any(flag in mode for flag in "wax+"):
            events.append((event, str(path), mode))
        elif isinstance(args[2], int) and args[2] & 0o3:  # os.open flags: O_WRONLY / O_RDWR
            events.append((event, str(path), args[2]))


sys.addaudithook(audit)  # hooks cannot be removed: it does nothing unless WATCHING["root"] is set


@contextlib.contextmanager
def watching(root: Path):
    events: list[tuple] = []
    modules = {p.stem for p in root.rglob("*.py")} | {p.name for p in root.iterdir() if p.is_dir()}
    WATCHING.update(root=str(root), events=events, modules=modules)
    try:
        yield events
    finally:
        WATCHING.update(root=None, events=None, modules=None)


def review_everything(project: Path) -> int:
    """What the CLI and the server do with a tree: analyse each file, build every fix."""
    count = 0
    for path in sorted(project.rglob("*")):
        if path.suffix not in (".py", ".ipynb"):
            continue
        source = read_path(path)
        for finding in analyse_source(source, EVERY_RULE, path=str(path)).findings:  # opt-in rules too
            count += 1
            build_fix(source.text, finding)
        fix_all(source, EVERY_RULE, path=str(path))  # in memory only
    return count


def test_engine_imports_executes_and_writes_nothing(hostile):
    project, marker = hostile
    review_everything(project)  # warm up: mlreview's own lazy imports (libcst, ...) happen here
    with watching(project) as events:
        found = review_everything(project)
    assert found >= 3
    assert events == [], events
    assert list(marker.iterdir()) == []


def test_engine_never_touches_the_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during analysis")

    for name in ("socket", "create_connection", "getaddrinfo", "socketpair", "fromfd"):
        monkeypatch.setattr(socket, name, refuse)
    reviewed = 0
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in (".py", ".ipynb"):
            reviewed += 1
            source = read_path(path)
            result = analyse_source(source, path=str(path))
            assert not result.rule_errors
            for finding in result.findings:
                build_fix(source.text, finding)
    assert reviewed >= 4 and attempts == []


def test_examples_copy_is_byte_identical_after_checking(tmp_path):
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    before = tree_digest(copy)
    result = run_cli(["check", str(copy), "--output-format", "json"], cwd=tmp_path)
    assert result.returncode == 1 and json.loads(result.stdout)
    assert tree_digest(copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["examples"]  # no cache or log files either


def test_the_audit_hook_sees_what_it_guards_against(hostile, monkeypatch):
    """The guard itself works: importing, executing and writing inside the tree are all seen."""
    project, marker = hostile
    monkeypatch.syspath_prepend(str(project))
    with watching(project) as events:
        __import__("evil")
        exec("x = 1")
        (project / "written.txt").write_text("x")
    sys.modules.pop("evil", None)
    kinds = {event[0] for event in events}
    assert {"import", "exec", "open"} <= kinds
    assert ("exec", str(project / "evil.py")) in events
    assert (marker / "evil-imported").exists()
