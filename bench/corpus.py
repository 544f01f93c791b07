"""A real ML corpus for benchmarks and tests: scikit-learn 1.2.1's examples.

The examples come from Debian's `python-sklearn-doc` package (50 MB download,
285 scripts, 43,122 lines). They are fetched once into `.bench-cache/` at the
repository root (git-ignored; override with MLREVIEW_BENCH_CACHE) and only the
examples folder is kept.

Public functions:
    sklearn_examples()      -> Path of the examples folder (fetches on first use)
    example_files()         -> sorted list of the example .py files
    ml_script_300()         -> (name, text) of a real ~300-line ML script
    concatenated_module()   -> (name, text) of a >= 4,000-line module made of
                               whole example files
    CorpusUnavailable       -> raised when the package cannot be fetched

Usable from tests: `from bench.corpus import sklearn_examples`.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PACKAGE = "python-sklearn-doc"
EXAMPLES_IN_PACKAGE = Path("usr/share/doc/python-sklearn-doc/examples")
# A script that exercises imputers, pipelines and cross-validation: 313 lines.
ML_SCRIPT_300 = "impute/plot_missing_values.py"
REPO_ROOT = Path(__file__).resolve().parent.parent


class CorpusUnavailable(RuntimeError):
    """The corpus is not cached and could not be fetched (no apt, no network)."""


def cache_dir() -> Path:
    override = os.environ.get("MLREVIEW_BENCH_CACHE")
    return Path(override) if override else REPO_ROOT / ".bench-cache"


def sklearn_examples() -> Path:
    """Return the folder of scikit-learn's example scripts, fetching it once."""
    target = cache_dir() / "sklearn-1.2.1-examples"
    if _is_complete(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Tests may run in parallel processes: only one of them downloads.
    with _exclusive_lock(target.parent / ".fetch.lock"):
        if not _is_complete(target):
            _fetch_into(target)
    return target


def example_files() -> list[Path]:
    return sorted(sklearn_examples().rglob("*.py"))


def ml_script_300() -> tuple[str, str]:
    """A real, self-contained ~300-line ML script (name relative to the corpus)."""
    path = sklearn_examples() / ML_SCRIPT_300
    return ML_SCRIPT_300, path.read_text(encoding="utf-8")


def concatenated_module(min_lines: int = 4000) -> tuple[str, str]:
    """Whole example files, in path order, appended until min_lines is reached.

    Each file is kept whole so the result parses; a comment marks where each
    one starts. Deterministic: the same text on every machine.
    """
    root = sklearn_examples()
    parts: list[str] = []
    line_count = 0
    for path in example_files():
        text = path.read_text(encoding="utf-8")
        if "from __future__" in text:
            continue  # a __future__ import is only legal at the top of a module
        if not text.endswith("\n"):
            text += "\n"
        header = f"# ---- {path.relative_to(root)} ----\n"
        parts.append(header + text)
        line_count += text.count("\n") + 1
        if line_count >= min_lines:
            break
    return f"concatenated_{min_lines}.py", "".join(parts)


def _is_complete(target: Path) -> bool:
    # The marker is written last, so a half-extracted folder never counts.
    return (target / ".complete").exists()


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path):
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fetch_into(target: Path) -> None:
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        scratch_dir = Path(scratch)
        deb = _download_deb(scratch_dir)
        extracted = scratch_dir / "extracted"
        _run(["dpkg", "-x", str(deb), str(extracted)], cwd=scratch_dir)
        examples = extracted / EXAMPLES_IN_PACKAGE
        if not examples.is_dir():
            raise CorpusUnavailable(f"{deb.name} has no {EXAMPLES_IN_PACKAGE}")
        if target.exists():
            shutil.rmtree(target)  # leftovers of an interrupted fetch
        # Keep only the examples (2 MB); the package's HTML docs are 110 MB.
        shutil.move(str(examples), str(target))
    (target / ".complete").write_text("scikit-learn 1.2.1 examples from Debian\n")


def _download_deb(directory: Path) -> Path:
    try:
        _run(["apt-get", "download", PACKAGE], cwd=directory)
    except CorpusUnavailable:
        # A fresh machine has no package lists yet.
        _run(["apt-get", "update"], cwd=directory)
        _run(["apt-get", "download", PACKAGE], cwd=directory)
    debs = sorted(directory.glob(f"{PACKAGE}_*.deb"))
    if not debs:
        raise CorpusUnavailable(f"apt-get download {PACKAGE} produced no .deb")
    return debs[-1]


def _run(command: list[str], cwd: Path) -> None:
    try:
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise CorpusUnavailable(f"{command[0]} is not installed") from exc
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise CorpusUnavailable(f"{' '.join(command)} failed: {' / '.join(tail)}")


if __name__ == "__main__":
    folder = sklearn_examples()
    files = example_files()
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in files)
    print(f"{folder}: {len(files)} files, {lines} lines")
    for name, text in (ml_script_300(), concatenated_module()):
        print(f"{name}: {text.count(chr(10))} lines")
