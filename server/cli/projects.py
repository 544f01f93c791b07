"""`mlreview check`'s project pass: the checked files' facts feed each project's index, and
project findings join the reports of their anchor files (RULES.md "Project scope")."""

from __future__ import annotations

import os
from pathlib import Path

from ..parse.source import InputError, SourceText, read_path
from ..project.discovery import SOURCE_SUFFIXES, marked_root
from ..project.index import ProjectIndex
from ..project.runner import run_project_rules


class Projects:
    """The projects the checked paths belong to, one index per root."""

    def __init__(self, settings, use_disk_cache: bool, given: list[str] = ()):
        self.settings = settings
        self.use_disk_cache = use_disk_cache
        # Without a root marker above it, a file belongs to the outermost folder given on the
        # command line that holds it (RULES.md: "the path given to the CLI when there is none").
        self.given_folders = sorted((Path(p).resolve() for p in given if p != "-" and Path(p).is_dir()),
                                    key=lambda folder: len(folder.parts))
        self.indexes: dict[Path, ProjectIndex] = {}
        self.built: dict = {}  # root -> the Project its findings were computed on
        self.roots: dict[str, Path] = {}  # a file's folder -> its project root (found once per folder)

    def index_for(self, path: str) -> ProjectIndex:
        given = Path(path)
        folder = str(given if given.is_dir() else given.parent)
        root = self.roots.get(folder)
        if root is None or given.is_symlink():  # a link's root is its target's
            root = self.root_of(given)
            if not given.is_symlink():
                self.roots[folder] = root
        if root not in self.indexes:
            self.indexes[root] = ProjectIndex(root, self.settings, self.use_disk_cache)
        return self.indexes[root]

    def root_of(self, path: Path) -> Path:
        marked = marked_root(path)
        if marked is not None:
            return marked
        resolved = path.resolve()
        folder = resolved if resolved.is_dir() else resolved.parent
        return next((given for given in self.given_folders if folder.is_relative_to(given)), folder)

    def record(self, path: str, model, data: bytes) -> None:
        """The checked file's facts from the model its check built, or from its text when
        its result came from the cache (the project cache usually holds them already)."""
        index = self.index_for(path)
        relative = index.relative(path)
        if relative is None:
            return
        if model is not None:
            index.record(relative, data, model)
        else:
            index.facts(relative, data)

    def known_digest(self, path: str) -> str | None:
        """The content digest under which the project index already holds this file's facts."""
        index = self.index_for(path)
        relative = index.relative(path)
        return index.entries.get(relative, (None,))[0] if relative is not None else None

    def record_facts(self, path: str, key: str, facts) -> None:
        """Facts a worker computed for a checked file whose content digests to `key`."""
        index = self.index_for(path)
        relative = index.relative(path)
        if relative is not None:
            index.adopt(relative, key, facts)

    def attach_findings(self, reports: list, given: list[str], report_type) -> None:
        """Add each project finding to the report of its anchor file, when that file was checked
        (or, for a declaration file such as requirements.txt, lies in a checked folder)."""
        from ..diagnostics import REGISTRY

        by_path = {Path(report.path).resolve(): report for report in reports if report.path != "-"}
        for index in self.indexes.values():
            project = self.built[index.root] = index.build()
            texts = DocumentTexts(index.root)
            for found in run_project_rules(project, REGISTRY, self.settings, texts.text):
                anchor = (index.root / found.path).resolve()
                report = by_path.get(anchor)
                if report is None and not found.path.endswith(SOURCE_SUFFIXES):
                    shown = shown_path(anchor, given)
                    if shown is not None:
                        report = by_path[anchor] = report_type(shown, texts.source(found.path), [])
                        reports.append(report)
                if report is not None:
                    if getattr(report, "text_dropped", False):  # a fix of the finding needs the text
                        report.source, report.text_dropped = texts.source(found.path), False
                    relate(found.finding, index.root, by_path, texts)
                    report.findings.append(found.finding)
        for report in reports:
            report.findings.sort(key=lambda finding: finding.sort_key())


def relate(finding, root: Path, by_path: dict, texts: "DocumentTexts") -> None:
    """Related locations name files as the reports do (the checked path, else relative to here)."""
    for index, related in enumerate(finding.related):
        if related.filename is None:
            continue
        absolute = (root / related.filename).resolve()
        report = by_path.get(absolute)
        shown = report.path if report is not None else os.path.relpath(absolute)
        finding.related[index] = type(related)(related.span, related.message, shown)


def shown_path(anchor: Path, given: list[str]) -> str | None:
    for path in given:
        if path == "-":
            continue
        folder = Path(path)
        if folder.is_dir() and anchor.is_relative_to(folder.resolve()):
            return str(folder / anchor.relative_to(folder.resolve()))
    return None


class DocumentTexts:
    """Anchor files' texts, read once (a notebook as its joined cells)."""

    def __init__(self, root: Path):
        self.root = root
        self.sources: dict[str, SourceText] = {}

    def source(self, relative: str) -> SourceText:
        if relative not in self.sources:
            try:
                self.sources[relative] = read_path(self.root / relative)
            except (InputError, OSError):
                self.sources[relative] = SourceText("")
        return self.sources[relative]

    def text(self, relative: str) -> str:
        return self.source(relative).text
