"""Settings per document: the nearest config file, overridden by the editor's settings.

Config files are looked up once per folder and cached until a watched config
file changes. Problems are collected as messages; the caller shows each
distinct set once, and defaults stand in for what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .interpreter import interpreter_command
from ..rules.config import ConfigError, Settings, find_config_file, load_config_file, parse_settings

# Keys VS Code-style clients send for the client's own use (how to start the server).
CLIENT_ONLY_KEYS = frozenset({
    "interpreter", "path", "args", "importStrategy", "trace", "showNotifications", "cwd", "serverArgs",
})
CONFIG_NAMES = ("pyproject.toml", "mlreview.toml")


def unwrap(raw: Any) -> Any:
    """The settings object inside initializationOptions / didChangeConfiguration payloads."""
    if isinstance(raw, dict):
        for key in ("mlreview", "settings"):
            if isinstance(raw.get(key), dict):
                return raw[key]
    return raw


class ConfigStore:
    def __init__(self) -> None:
        self.editor: dict[str, Any] = {}
        self.editor_errors: list[str] = []
        self.interpreter: tuple[str, ...] | None = None
        self._by_folder: dict[Path | None, tuple[Settings, tuple[str, ...]]] = {}

    def set_editor(self, raw: Any) -> None:
        raw = unwrap(raw)
        if raw is None:
            raw = {}
        self.editor_errors = []
        if not isinstance(raw, dict):
            self.editor_errors = [f"editor settings: expected an object, got {type(raw).__name__}"]
            raw = {}
        self.editor = {k: v for k, v in raw.items() if k not in CLIENT_ONLY_KEYS}
        # The editor's interpreter (its installed versions, lsp/interpreter.py): kept until another is named.
        self.interpreter = interpreter_command(raw.get("interpreter")) or self.interpreter
        self.invalidate()

    def invalidate(self) -> None:
        self._by_folder.clear()

    def settings_for(self, path: str | None) -> tuple[Settings, tuple[str, ...]]:
        """(settings, problems) for a document at `path` (None: an unsaved buffer)."""
        folder = Path(path).parent if path else None
        cached = self._by_folder.get(folder)
        if cached is None:
            cached = self._by_folder[folder] = self._compute(folder)
        return cached

    def _compute(self, folder: Path | None) -> tuple[Settings, tuple[str, ...]]:
        base, errors = Settings(), []
        config = find_config_file(folder) if folder is not None and folder.exists() else None
        if config is not None:
            try:
                base, errors = load_config_file(config)
            except ConfigError as exc:
                errors = [str(exc)]
        settings, editor_errors = parse_settings(self.editor, "editor settings", editor=True, base=base)
        return settings, tuple(errors + self.editor_errors + editor_errors)


def is_config_file(uri: str) -> bool:
    return uri.rsplit("/", 1)[-1] in CONFIG_NAMES
