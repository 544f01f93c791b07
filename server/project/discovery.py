"""The project: its root and its files (RULES.md "Project scope")."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
SKIPPED_FOLDERS = frozenset({"node_modules", "site-packages", "__pycache__", "build", "dist"})
SOURCE_SUFFIXES = (".py", ".ipynb")


def find_root(path: Path) -> Path:
    """The nearest folder at or above `path` holding a root marker; else the path (its folder for a file)."""
    path = path.resolve()
    return marked_root(path) or (path if path.is_dir() else path.parent)


def marked_root(path: Path) -> Path | None:
    """The nearest folder at or above `path` holding a root marker, if any."""
    path = path.resolve()
    start = path if path.is_dir() else path.parent
    for folder in [start, *start.parents]:
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return None


class GitIgnore:
    """The root .gitignore's patterns (enough for the usual `data/`, `*.pkl`, `/build`)."""

    def __init__(self, root: Path):
        self.patterns: list[tuple[str, bool, bool]] = []  # (pattern, anchored, folders only)
        try:
            lines = (root / ".gitignore").read_text("utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        for line in lines:
            line = line.strip()
            if not line or line.startswith(("#", "!")):
                continue
            folders_only = line.endswith("/")
            line = line.strip("/") if folders_only or line.startswith("/") else line
            self.patterns.append((line.lstrip("/"), "/" in line, folders_only))

    def ignores(self, relative: str, is_folder: bool) -> bool:
        name = relative.rsplit("/", 1)[-1]
        for pattern, anchored, folders_only in self.patterns:
            if folders_only and not is_folder:
                continue
            if fnmatch.fnmatch(relative if anchored else name, pattern):
                return True
        return False


def is_project_root(folder: Path) -> bool:
    """A nested folder with its own root marker is a project of its own (its files' nearest root)."""
    return any((folder / marker).exists() for marker in ROOT_MARKERS)


def is_virtual_environment(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir()


def walk(root: Path, settings) -> tuple[list[str], list[str]]:
    """(source files, other files) as sorted root-relative POSIX paths, without excluded,
    ignored, hidden, virtual-environment, site-packages and node_modules paths, nor nested projects."""
    ignore = GitIgnore(root)
    sources: list[str] = []
    others: list[str] = []
    for folder, subfolders, files in os.walk(root):
        base = Path(folder)
        relative_base = base.relative_to(root).as_posix()
        prefix = "" if relative_base == "." else relative_base + "/"
        subfolders[:] = sorted(
            name for name in subfolders
            if not name.startswith(".") and name not in SKIPPED_FOLDERS
            and not ignore.ignores(prefix + name, True) and not excluded(settings, base / name)
            and not is_virtual_environment(base / name) and not is_project_root(base / name)
        )
        for name in files:
            relative = prefix + name
            if ignore.ignores(relative, False) or excluded(settings, base / name):
                continue
            (sources if name.endswith(SOURCE_SUFFIXES) else others).append(relative)
    return sorted(sources), sorted(others)


def excluded(settings, path: Path) -> bool:
    return settings is not None and settings.is_excluded(path)
