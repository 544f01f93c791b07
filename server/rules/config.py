"""Configuration: `[tool.mlreview]` in pyproject.toml (or mlreview.toml) and editor settings.

One typed, validated structure for the CLI and the language server. A wrong
key or value yields a message naming it, and the default for that key only.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit

from .findings import Severity

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules",
    "site-packages", "build", "dist", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache",
)
FILE_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "exclude", "project", "cache-dir")
EDITOR_KEYS = FILE_KEYS + ("enable", "debounce", "docsBaseUrl", "logLevel")


class ConfigError(Exception):
    """A configuration that cannot be used at all (e.g. unreadable TOML)."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("ML",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    exclude: tuple[str, ...] = ()
    enable: bool = True
    debounce: int = 25  # ms the language server waits after a change (coalesces bursts of typing)
    docs_base_url: str | None = None
    log_level: str = "info"
    project: bool = True  # False: every file is its own project (RULES.md "Project scope")
    cache_dir: str | None = None  # `mlreview check`'s cache folder (relative: to the config file's folder)
    root: Path | None = field(default=None, compare=False)  # where the config file lives

    def is_enabled(self, code: str, path: str | None = None, *, on_by_default: bool = True) -> bool:
        """Ruff's resolution: the most specific selector wins, ignore on a tie (`ALL` and `ML`
        are equally broad, so `ignore = ["ALL"]` turns off the default selection).

        A rule off by default (`on_by_default=False`) is selected only by a selector naming
        its family or more (`ML5`, `ML50`, `ML503`), in `select` or `extend-select`: `ALL`
        and `ML` mean the default selection, like ruff's `ALL` without preview."""
        selected = specificity(code, self.select + self.extend_select)
        ignored = specificity(code, self.ignore)
        if selected < (0 if on_by_default else FAMILY) or ignored >= selected:
            return False
        return not (path and code_matches(code, self.ignored_for(path)))

    def ignored_for(self, path: str) -> tuple[str, ...]:
        """The per-file-ignores codes for `path`; each path is matched once, with compiled patterns."""
        cache = self.__dict__.setdefault("_ignored_for", {})
        if path not in cache:
            names = path_candidates(path, self.root)
            cache[path] = tuple(code for pattern, codes in self.compiled_per_file_ignores
                                if pattern.matches(names) for code in codes)
        return cache[path]

    @cached_property
    def compiled_per_file_ignores(self) -> tuple[tuple["PathPattern", tuple[str, ...]], ...]:
        return tuple((PathPattern(pattern), codes) for pattern, codes in self.per_file_ignores)

    @cached_property
    def compiled_exclude(self) -> tuple["PathPattern", ...]:
        return tuple(PathPattern(pattern) for pattern in self.exclude)

    def severity_of(self, code: str, default: Severity) -> Severity:
        """The level of the most specific key matching `code` (`ML201` over `ML2` over `ALL`)."""
        best, level = -1, default
        for selector, severity in self.severity:
            rank = specificity(code, (selector,))
            if rank > best:
                best, level = rank, severity
        return level

    def is_excluded(self, path: Path) -> bool:
        if any(part in DEFAULT_EXCLUDE for part in path.parts):
            return True
        if not self.exclude:
            return False
        names = path_candidates(str(path), self.root)
        return any(pattern.matches(names) for pattern in self.compiled_exclude)


FAMILY = 1  # the specificity of a family selector (`ML5`)


def specificity(code: str, selectors: tuple[str, ...]) -> int:
    """How specific the most specific selector matching `code` is: `ALL` and `ML` 0, `ML2` 1,
    `ML201` 3; -1 if none matches."""
    best = -1
    for selector in selectors:
        selector = selector.upper()
        if selector == "ALL":
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector) - 2)
    return best


def code_matches(code: str, selectors: tuple[str, ...]) -> bool:
    return specificity(code, selectors) >= 0


def path_candidates(path: str, root: Path | None) -> frozenset[str]:
    """The names a pattern may match: the path as given, its file name, and relative to the root."""
    candidates = {path, PurePath(path).name, PurePath(path).as_posix()}
    if root is not None:
        try:
            candidates.add(Path(path).resolve().relative_to(root.resolve()).as_posix())
        except (ValueError, OSError):
            pass
    return frozenset(candidates)


class PathPattern:
    """A glob compiled once: it matches a path, or a folder holding it (`data/` or `data`)."""

    def __init__(self, pattern: str):
        pattern = pattern.rstrip("/")
        self.prefix = pattern + "/"
        self.regex = re.compile(f"(?:{fnmatch.translate(pattern)})|(?:{fnmatch.translate(pattern + '/*')})")

    def matches(self, names: frozenset[str]) -> bool:
        return any(name.startswith(self.prefix) or self.regex.match(name) for name in names)


# ----- parsing and validation ---------------------------------------------------


def parse_settings(raw: dict[str, Any], origin: str, *, editor: bool = False,
                   base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Validate a raw mapping; returns settings and one message per bad key."""
    settings = base or Settings()
    errors: list[str] = []
    if not isinstance(raw, dict):
        return settings, [f"{origin}: settings must be a table/object, got {type(raw).__name__}"]
    allowed = EDITOR_KEYS if editor else FILE_KEYS
    for key, value in raw.items():
        if key not in allowed:
            hint = nearest_key(key, allowed)
            errors.append(f"{origin}: unknown key {key!r}" + (f" (did you mean '{hint}'?)" if hint else ""))
            continue
        try:
            settings = replace(settings, **{FIELD_OF[key]: CONVERTERS[key](value)})
        except (TypeError, ValueError) as exc:
            errors.append(f"{origin}: invalid value for {key!r}: {exc}")
    return settings, errors


def nearest_key(key: str, allowed: tuple[str, ...]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key.replace("_", "-"), allowed, n=1)
    return matches[0] if matches else None


RULE_SELECTOR = re.compile(r"ML[0-9]*")  # every rule (the default), a family (ML2), a rule (ML201)


def code_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of rule codes or prefixes, got {value!r}")
    for code in value:
        if not (code.upper() == "ALL" or RULE_SELECTOR.fullmatch(code.upper())):
            raise ValueError(f"{code!r} is not a rule code or prefix (like ML201 or ML2)")
    return tuple(code.upper() for code in value)


def glob_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of glob patterns, got {value!r}")
    return tuple(value)


def per_file(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table of glob -> codes, got {value!r}")
    return tuple((str(glob), code_list(codes)) for glob, codes in value.items())


def severity_map(value: Any) -> tuple[tuple[str, Severity], ...]:
    """Levels keyed by code or prefix (`ML201`, `ML2`, `ALL`): the most specific key applies."""
    if not isinstance(value, dict):
        raise TypeError(f"expected a table of code -> level, got {value!r}")
    out = []
    for code, level in value.items():
        code_list([code])
        try:
            out.append((code.upper(), Severity.parse(str(level).lower())))
        except ValueError:
            raise ValueError(f"{level!r} for {code} is not one of error, warning, information, hint") from None
    return tuple(out)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def milliseconds(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10_000:
        raise ValueError(f"expected milliseconds between 0 and 10000, got {value!r}")
    return int(value)


def url(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected a URL string, got {value!r}")
    parts = urlsplit(value) if value.isprintable() and not any(c.isspace() for c in value) else None
    is_web = parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)
    is_file = parts is not None and parts.scheme == "file" and bool(parts.path)
    if not (is_web or is_file):
        raise ValueError(f"expected an http, https or file URL, got {value!r}")
    return value.rstrip("/")


def folder(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"expected a folder path, got {value!r}")
    return value


def log_level(value: Any) -> str:
    if value not in ("error", "warning", "info", "debug", "trace", "off"):
        raise ValueError(f"expected one of error, warning, info, debug, trace, off, got {value!r}")
    return value


CONVERTERS = {
    "select": code_list, "extend-select": code_list, "ignore": code_list,
    "per-file-ignores": per_file, "severity": severity_map, "exclude": glob_list,
    "enable": boolean, "project": boolean, "debounce": milliseconds, "docsBaseUrl": url, "logLevel": log_level,
    "cache-dir": folder,
}
FIELD_OF = {
    "select": "select", "extend-select": "extend_select", "ignore": "ignore",
    "per-file-ignores": "per_file_ignores", "severity": "severity", "exclude": "exclude",
    "enable": "enable", "project": "project", "debounce": "debounce", "docsBaseUrl": "docs_base_url", "logLevel": "log_level",
    "cache-dir": "cache_dir",
}


# ----- files -------------------------------------------------------------------------


def find_config_file(start: Path) -> Path | None:
    """The nearest mlreview.toml, or pyproject.toml with a [tool.mlreview] table."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / "mlreview.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and has_mlreview_table(candidate):
            return candidate
    return None


def parse_toml(text: str) -> dict:
    """A TOML document; ValueError (TOMLDecodeError is one) when it is not TOML. tomllib is imported
    on first use: a run with no configuration file never needs it (5 ms of a small file's check)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(text)


def has_mlreview_table(pyproject: Path) -> bool:
    try:
        tool = parse_toml(pyproject.read_text("utf-8")).get("tool", {})
        return isinstance(tool, dict) and "mlreview" in tool  # `tool = 5` is legal TOML
    except (OSError, ValueError):
        return True  # let load_config_file report what is wrong with it


def load_config_file(path: Path) -> tuple[Settings, list[str]]:
    """Settings from a config file. Raises ConfigError if it cannot be read at all."""
    try:
        document = parse_toml(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except ValueError as exc:  # invalid TOML
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    tool = document.get("tool", {})
    raw = document if path.name == "mlreview.toml" else tool.get("mlreview", {}) if isinstance(tool, dict) else {}
    settings, errors = parse_settings(raw, f"{path} [tool.mlreview]" if path.name != "mlreview.toml" else str(path))
    return replace(settings, root=path.parent), errors
