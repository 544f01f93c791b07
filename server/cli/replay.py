"""A check whose inputs are all unchanged is replayed: the last such run's output, byte for byte.

The result cache (cache.py) saves each file's analysis; a run that finds every file unchanged
still imports the rules, rebuilds the project and writes the output again. This memo skips all
of that. A run is keyed by mlreview's code, the effective configuration, the command line, the
working folder, whether stdout is a terminal and the files checked; it is replayed only when
every file it read is unchanged (size, modification time and inode: the checked files, the
workspace files its cross-file facts came from, and every file of each project folder it
judged, whose listings must be the same too). Anything else, or any doubt, runs the check.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

from ..project.discovery import find_root, walk
from ..rules.config import Settings
from .inputs import Run, discover, load_settings

FORMAT = "check-run-1"
RUNS_KEPT = 8  # alternating invocations (text and JSON, two folders) each replay


def cache_folder(settings: Settings, root: str | None) -> Path:
    """`cache-dir` (relative to its config file), else .mlreview_cache/ in the project root."""
    if settings.cache_dir:
        return (settings.root or Path.cwd()) / settings.cache_dir
    return find_root(Path(root or ".")) / ".mlreview_cache"


def signature(path: str) -> list[int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ino]


class RunReplay:
    def __init__(self, folder: Path, key: str, paths: list[str], settings: Settings):
        self.file = folder / "check-runs.json"
        self.key = key
        self.paths = paths
        self.settings = settings

    @classmethod
    def for_run(cls, args) -> RunReplay | None:
        """None when the run cannot be replayed: no cache, fixes, stdin, or inputs in error."""
        from .inputs import common_root

        if args.no_cache or args.fix or "-" in args.paths:
            return None
        run = Run(Settings(), echo=False)
        settings = load_settings(args, run)
        paths = list(discover(args.paths, run)) if settings is not None else []
        if settings is None or run.errors or run.messages:
            return None  # the check itself says what is wrong
        run.settings = settings
        return cls(cache_folder(settings, common_root(args.paths)), run_key(args, settings, paths), paths, settings)

    def replayed(self) -> int | None:
        """The exit status of a replayed run, its output written; None if it must run."""
        stored = self._load().get(self.key)
        try:
            if stored is None or not self._unchanged(stored):
                return None
            out, messages, status = stored["stdout"], stored["messages"], stored["status"]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        for message in messages:
            print(f"mlreview: {message}", file=sys.stderr)
        sys.stdout.write(out)
        return int(status)

    def _unchanged(self, stored: dict) -> bool:
        if any(signature(path) != known for path, known in stored["files"].items()):
            return False
        return all(listing(Path(root), self.settings) == known for root, known in stored["listings"].items())

    def record(self, run: Run, out: str, status: int, dependencies: list[str] | None) -> None:
        """Remember this run; `dependencies` None: some file's result was not cached (not replayable)."""
        if dependencies is None:
            return
        roots = sorted({str(root) for root in run.versions}
                       | ({str(root) for root in run.projects.indexes} if run.projects is not None else set()))
        listings = {root: listing(Path(root), self.settings) for root in roots}
        files = {path: signature(path) for path in sorted({*map(absolute, self.paths), *dependencies})}
        for root, names in listings.items():
            files.update((os.path.join(root, name), signature(os.path.join(root, name))) for name in names)
        runs = self._load()
        runs.pop(self.key, None)
        runs[self.key] = {"stdout": out, "messages": run.messages, "status": status, "files": files,
                          "listings": listings}
        self._save(dict(list(runs.items())[-RUNS_KEPT:]))

    def _load(self) -> dict:
        try:
            stored = json.loads(self.file.read_text("utf-8"))
            if stored["format"] == FORMAT and isinstance(stored["runs"], dict):
                return stored["runs"]
        except (OSError, ValueError, TypeError, KeyError):
            pass  # missing, truncated or foreign: nothing to replay
        return {}

    def _save(self, runs: dict) -> None:
        from .cache import write_atomically

        write_atomically(self.file, json.dumps({"format": FORMAT, "runs": runs}, separators=(",", ":")))


def absolute(path: str) -> str:
    return os.path.abspath(path)


def listing(root: Path, settings: Settings) -> list[str]:
    sources, others = walk(root, settings)
    return sources + others


def run_key(args, settings: Settings, paths: list[str]) -> str:
    from .cache import code_fingerprint, digest

    tty = sys.stdout.isatty()
    parts = [FORMAT, code_fingerprint(), repr(settings), repr(sorted(vars(args).items())), os.getcwd(),
             str(tty), str(tty and bool(os.environ.get("NO_COLOR"))), *paths]
    return digest("\0".join(parts).encode())


class Recorder:
    """stdout, passed through and kept: what a replay writes again."""

    def __init__(self, stream):
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return self.stream.write(text)

    def __getattr__(self, name):  # flush, isatty, fileno, encoding: the real stream's
        return getattr(self.stream, name)

    def text(self) -> str:
        return "".join(self.parts)


@contextlib.contextmanager
def recording():
    recorder = Recorder(sys.stdout)
    sys.stdout = recorder
    try:
        yield recorder
    finally:
        sys.stdout = recorder.stream
