"""The result cache of `mlreview check`: a file whose content, configuration and dependencies
are unchanged is reported from `.mlreview_cache/` without being parsed.

An entry is keyed by mlreview's version and code, the effective configuration, whether the
project layer judges the project rules, the file's content and the content of every workspace
file its cross-file facts were read from (a changed `models.py` invalidates exactly the files
that import from it). It holds the file's findings and syntax-error messages in JSON (never
pickle: a cache that came with a cloned repository must not run code). Whatever goes wrong
(a truncated or foreign file, two runs at once, a read-only folder) costs only an analysis:
entries are checked when read, and the file is replaced whole, atomically, when written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..parse.positions import Span
from ..rules.findings import Finding, Related, Severity

log = logging.getLogger("mlreview")
FORMAT = "check-results-1"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def code_fingerprint() -> str:
    """mlreview's version and its source files' sizes and times: a development checkout's
    edited rule invalidates the cache even though the version stays the same."""
    package = Path(__file__).resolve().parent.parent
    stats = []
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            status = path.stat()
            stats.append(f"{path.relative_to(package)}:{status.st_size}:{status.st_mtime_ns}")
    return digest("\n".join([__version__, *stats]).encode())


@dataclass
class Hit:
    findings: list[Finding]
    errors: list[str]
    fixes: dict[str, dict | None]  # the fixes' JSON, by output.fix_key, as an earlier run built them


class ResultCache:
    def __init__(self, folder: Path, settings, in_project: bool, registry):
        # one file per meaning of the project rules: alternating with --no-project keeps both
        self.file = folder / ("check-results.json" if in_project else "check-results-no-project.json")
        self.registry = registry
        self.key = digest(f"{FORMAT}|{code_fingerprint()}|{settings!r}|{in_project}".encode())
        self.entries: dict[str, dict] = self._load()
        self.changed = False

    def lookup(self, path: str, data: bytes, versions: str = "") -> Hit | None:
        """`versions`: the fingerprint of the library versions the file is judged with."""
        entry = self.entries.get(str(Path(path).resolve()))
        if entry is None:
            return None
        try:
            if entry["content"] != digest(data) or entry.get("versions", "") != versions or not all(
                    file_digest(dependency) == known for dependency, known in entry["dependencies"].items()):
                return None
            fixes = entry.get("fixes", {})
            if not isinstance(fixes, dict):
                return None
            return Hit([self._finding(item) for item in entry["findings"]], list(entry["errors"]), dict(fixes))
        except (KeyError, TypeError, ValueError, AttributeError):  # a damaged or foreign entry
            return None

    def store(self, path: str, data: bytes, findings: list[Finding], errors: list[str],
              dependencies: list[str], versions: str = "") -> None:
        try:
            entry = {"content": digest(data), "versions": versions, "errors": list(errors),
                     "dependencies": {dependency: file_digest(dependency) for dependency in sorted(dependencies)},
                     "findings": [finding_json(finding) for finding in findings]}
        except Uncacheable:  # a rule's data this format cannot hold exactly: analyse it every time
            return
        self.entries[str(Path(path).resolve())] = entry
        self.changed = True

    def save(self, reports=()) -> None:
        """Write the cache, with the fixes the output built for the findings it holds."""
        for report in reports:
            entry = self.entries.get(str(Path(report.path).resolve())) if report.path != "-" else None
            if entry is None or not report.fixes:
                continue
            try:
                own = {fix_key_of(item) for item in entry["findings"]}
            except (KeyError, TypeError, ValueError):  # a damaged entry read from disk
                continue
            fixes = {key: fix for key, fix in report.fixes.items() if key in own}
            if fixes != entry.get("fixes", {}):
                entry["fixes"] = fixes
                self.changed = True
        if not self.changed:
            return
        text = json.dumps({"format": FORMAT, "key": self.key, "files": self.entries}, separators=(",", ":"))
        write_atomically(self.file, text)

    def dependencies(self, paths: list[str]) -> list[str] | None:
        """The workspace files the cached results of `paths` read; None if one is not cached."""
        found = []
        for path in paths:
            entry = self.entries.get(str(Path(path).resolve()))
            if entry is None or not isinstance(entry.get("dependencies"), dict):
                return None
            found.extend(entry["dependencies"])
        return found

    def _load(self) -> dict[str, dict]:
        try:
            stored = json.loads(self.file.read_text("utf-8"))
            if stored["format"] == FORMAT and stored["key"] == self.key and isinstance(stored["files"], dict):
                return stored["files"]
        except (OSError, ValueError, TypeError, KeyError):
            pass  # missing, truncated or foreign: start afresh
        return {}

    def _finding(self, item: dict) -> Finding:
        rule = self.registry.get(item["code"])
        if rule is None:
            raise KeyError(item["code"])
        related = [Related(Span(*span), message, filename) for span, message, filename in item["related"]]
        severity = Severity(item["severity"]) if item["severity"] is not None else None
        return Finding(rule, item["message"], Span(*item["span"]), decoded(item["data"]), related, severity,
                       item["scope"])


def write_atomically(file: Path, text: str) -> None:
    """Replace `file` whole (the last of two concurrent writers wins); a read-only folder only
    costs the next run an analysis."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        ignore = file.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", "utf-8")
        import tempfile  # only a run that writes an entry needs it (with shutil and random: 5-7 ms)

        handle, temporary = tempfile.mkstemp(prefix=f".{file.stem}.", dir=file.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(temporary, 0o644)  # as any file the user writes, not mkstemp's 0600
            os.replace(temporary, file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        log.info("cannot write the cache file %s: %s", file, exc)


def fix_key_of(item: dict) -> str:
    """output.fix_key of a stored finding (its fix depends only on the file and the finding)."""
    return json.dumps([item["code"], *item["span"], item["message"]])


def file_digest(path: str) -> str | None:
    try:
        return digest(Path(path).read_bytes())
    except OSError:
        return None


def finding_json(finding: Finding) -> dict:
    return {"code": finding.code, "message": finding.message, "span": span_list(finding.span),
            "data": encoded(finding.data),
            "related": [[span_list(r.span), r.message, r.filename] for r in finding.related],
            "severity": finding.severity.value if finding.severity is not None else None, "scope": finding.scope}


def span_list(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]


class Uncacheable(TypeError):
    pass


def encoded(value):
    """JSON that decodes to an equal value of the same types: lists stay lists, tuples and dicts
    (whatever their keys) are tagged."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encoded(item) for item in value]
    if isinstance(value, tuple):
        return {"t": [encoded(item) for item in value]}
    if isinstance(value, dict):
        return {"d": [[encoded(key), encoded(item)] for key, item in value.items()]}
    if isinstance(value, Span):
        return {"s": span_list(value)}
    raise Uncacheable(type(value).__name__)


def decoded(value):
    if isinstance(value, list):
        return [decoded(item) for item in value]
    if isinstance(value, dict):
        ((tag, content),) = value.items()
        if tag == "t":
            return tuple(decoded(item) for item in content)
        if tag == "d":
            return {decoded(key): decoded(item) for key, item in content}
        if tag == "s":
            return Span(*content)
        raise ValueError(tag)
    return value
