"""What a check runs on: its settings, the files it checks, and the run's shared state.

Kept apart from the analysis (check.py) so that a run replayed from the cache (replay.py)
reads its inputs without importing the rules.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from typing import TYPE_CHECKING

from ..rules.config import ConfigError, Settings, code_list, find_config_file, load_config_file

if TYPE_CHECKING:
    from ..model.versions import KnownVersions
    from .cache import ResultCache
    from .check import FileReport
    from .progress import Progress
    from .projects import Projects


@dataclass
class Run:
    settings: Settings
    reports: list[FileReport] = field(default_factory=list)
    errors: int = 0
    root: str | None = None  # the jedi project for cross-file facts: the checked paths' common folder
    projects: Projects | None = None  # None: every file is its own project (`--no-project`)
    versions: dict[Path, KnownVersions] = field(default_factory=dict)  # project root -> what its files declare
    roots: dict[str, Path] = field(default_factory=dict)  # a file's folder -> its project root
    progress: Progress | None = None  # the line a message must not be written into
    cache: ResultCache | None = None  # None: `--no-cache`
    messages: list[str] = field(default_factory=list)  # what warn() said, for a replay of this run
    echo: bool = True  # False: messages are only kept (a replay's look at the inputs)

    def error(self, message: str) -> None:
        self.warn(message)
        self.errors += 1

    def warn(self, message: str) -> None:
        self.messages.append(message)
        if not self.echo:
            return
        if self.progress is not None:
            self.progress.finish()  # erased first; the next update draws it again
        print(f"mlreview: {message}", file=sys.stderr)


def load_settings(args, run: Run) -> Settings | None:
    settings = Settings()
    config = Path(args.config) if args.config else find_config_file(Path.cwd())
    if args.config and not config.is_file():
        run.error(f"{args.config}: config file not found")
        return None
    if config is not None:
        try:
            settings, problems = load_config_file(config)
        except ConfigError as exc:
            run.error(str(exc))
            return None
        for problem in problems:
            run.error(problem)
    try:
        if args.select:  # replaces the configured selection, its extend-select included (as in ruff)
            settings = replace(settings, select=code_list(args.select), extend_select=())
        if args.extend_select:
            settings = replace(settings, extend_select=settings.extend_select + code_list(args.extend_select))
        if args.ignore:
            settings = replace(settings, ignore=settings.ignore + code_list(args.ignore))
    except (TypeError, ValueError) as exc:
        run.error(f"invalid command-line selection: {exc}")
        return None
    return settings


def discover(paths: list[str], run: Run):
    """Files to check, in a stable order: given files as they are, folders recursed."""
    for given in paths:
        if given == "-":
            yield "-"
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(p for pattern in ("*.py", "*.ipynb") for p in path.rglob(pattern))
            yield from (str(p) for p in found if p.is_file() and not run.settings.is_excluded(p))
        elif path.exists():
            yield given
        else:
            run.error(f"{given}: no such file or directory")


def common_root(paths: list[str]) -> str | None:
    folders = [str(Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent)
               for p in paths if p != "-" and Path(p).exists()]
    if not folders:
        return None
    try:
        return os.path.commonpath(folders)
    except ValueError:  # different drives
        return folders[0]
