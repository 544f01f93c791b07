"""Which open documents are analysed, and with what: shared by the document store and the
early loop (early.py), which must not import pygls."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from ..rules.config import Settings


class Located(Protocol):
    path: str | None  # None for an unsaved or remote document
    root: str | None  # the workspace folder holding it


def in_project(document: Located, settings: Settings) -> bool:
    """PROJECT-scope rules come from the background project review only for files it reads:
    files on disk. An unsaved or remote document is judged on its own, as the CLI would."""
    return settings.project and document.path is not None and Path(document.path).is_file()


def is_excluded(document: Located, settings: Settings) -> bool:
    """`exclude` (editor setting or config file), as the CLI applies it; relative patterns
    count from the config file's folder, else from the workspace folder."""
    if document.path is None:
        return False
    if settings.root is None and document.root is not None:
        settings = replace(settings, root=Path(document.root))
    return settings.is_excluded(Path(document.path))


def holding_folder(path: str | None, folders: list[str]) -> str | None:
    """The deepest of `folders` holding `path` (jedi's project, the root of relative excludes)."""
    if path is None:
        return None
    absolute = os.path.abspath(path)
    holding = [f for f in folders if f and os.path.commonpath([os.path.abspath(f), absolute]) == os.path.abspath(f)]
    return max(holding, key=len) if holding else None
