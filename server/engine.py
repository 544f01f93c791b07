"""The engine: source text in, findings out, incrementally.

`DocumentAnalyzer` keeps a document's chunks between versions so an edit
re-parses only what it touched; `analyse_source` is the one-shot form the CLI
uses. Rules run on the module model; a failing rule is reported, never raised.
An analysis may be cancelled (the server is exiting, a newer version arrived):
it checks its `Cancellation` before parsing, between rules and their findings, and
between the chunks of the data-flow walk.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from dataclasses import dataclass, field

from .model.external import EMPTY, ExternalFacts
from .model.module_model import ModuleModel
from .model.versions import UNKNOWN, KnownVersions
from .parse.cancel import NEVER, AnalysisCancelled, Cancellation
from .parse.chunks import Chunk, ParseProblem, chunk_document, rechunk, split_lines
from .parse.source import SourceText
from .rules.config import Settings
from .rules.findings import Finding, Severity
from .rules.noqa import file_suppressions, line_suppresses
from .rules.rule import Registry

log = logging.getLogger("mlreview")


@dataclass(slots=True)
class Segment:
    """A file, or one notebook cell: its lines and their chunks."""

    lines: list[str]
    chunks: list[Chunk]
    boundaries: list[int] | None = None  # lines that could start a statement, kept across edits


@dataclass
class AnalysisResult:
    findings: list[Finding]
    problems: list[ParseProblem]
    model: ModuleModel
    rule_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def default_registry() -> Registry:
    from .diagnostics import REGISTRY  # the rules are a layer above the engine

    return REGISTRY


class DocumentAnalyzer:
    """Analyses successive versions of one document, reusing unchanged chunks."""

    def __init__(self, path: str | None = None, registry: Registry | None = None):
        self.path = path
        self.registry = registry or default_registry()
        self.segments: list[Segment] = []
        self.model: ModuleModel | None = None  # the last version's, whose indexes the next one updates

    def analyse(self, source: SourceText, settings: Settings | None = None,
                external: ExternalFacts | None = None, cancellation: Cancellation = NEVER,
                in_project: bool = False, versions: KnownVersions = UNKNOWN,
                lines: list[str] | None = None) -> AnalysisResult:
        """`external`: what other workspace files define (crossfile.py), when it is known.
        Raises AnalysisCancelled when `cancellation` is set before the analysis is done.
        `in_project`: PROJECT-scope rules are judged by the project runner, not per file.
        `versions`: the library versions of the document's environment (model/versions.py).
        `lines`: the text's `split_lines`, when the caller has them already."""
        started = time.perf_counter()
        settings = settings or Settings()
        with cyclic_gc_paused():
            lines = split_lines(source.text) if lines is None else lines
            cancellation.check()
            # Not cancelled inside: re-chunking updates the kept chunks in place, and an edit's
            # re-chunking is quick; stopping half-way would cost the next version a full parse.
            chunks = self._update_chunks(source, lines)
            model = ModuleModel(chunks, lines, source, self.path, previous=self.model)
            model.external = external or EMPTY
            model.cancellation = cancellation
            model.in_project = in_project
            model.versions = versions
            try:
                cancellation.check()
                findings, errors = run_rules(model, self.registry, settings, self.path, cancellation)
            finally:  # the chunks are already this version's: keep the model that indexes them
                model.forget_previous()
                model.cancellation = NEVER
                self.model = model
        problems = [p for chunk in chunks if (p := chunk.problem()) is not None]
        return AnalysisResult(findings, problems, model, errors, time.perf_counter() - started)

    def release(self) -> None:
        """Drop everything kept for the next version (the document was closed)."""
        self.segments = []
        self.model = None  # with it the lineage walk kept for the next version

    def _update_chunks(self, source: SourceText, document_lines: list[str]) -> list[Chunk]:
        segments = []
        for index, (offset, lines) in enumerate(segment_lines(source, document_lines)):
            old = self.segments[index] if index < len(self.segments) else None
            if old:
                chunks, boundaries = rechunk(old.chunks, old.lines, lines, old.boundaries)
            else:
                chunks, boundaries = chunk_document(lines), None
            for chunk in chunks:
                chunk.offset = offset
            segments.append(Segment(lines, chunks, boundaries))
        self.segments = segments
        return [chunk for segment in segments for chunk in segment.chunks]


@contextlib.contextmanager
def cyclic_gc_paused():
    """Parsing allocates hundreds of thousands of AST nodes that `_parent` links into
    cycles; the cyclic collector repeatedly re-scanning them while they are being built
    nearly doubled the analysis time of a 50,000-line file. Almost nothing allocated
    here is garbage before the analysis returns, so let the collector run after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def segment_lines(source: SourceText, lines: list[str]) -> list[tuple[int, list[str]]]:
    """(line offset, lines) of each independently chunked part: the file, or each notebook cell."""
    if not source.cells:
        return [(0, lines)]
    return [(cell.first_line - 1, lines[cell.first_line - 1: cell.last_line]) for cell in source.cells]


def run_rules(model: ModuleModel, registry: Registry, settings: Settings,
              path: str | None, cancellation: Cancellation = NEVER) -> tuple[list[Finding], list[str]]:
    whole_file = file_suppressions(model.source.text)
    if whole_file and "*" in whole_file:
        return [], []
    findings: list[Finding] = []
    errors: list[str] = []
    for rule in registry:
        cancellation.check()
        if rule.check is None or not settings.is_enabled(rule.code, path, on_by_default=rule.on_by_default):
            continue
        if whole_file and rule.code in whole_file:
            continue
        try:
            for finding in rule.check(model, rule):
                cancellation.check()  # rules yield finding by finding: a long rule stops here too
                if not line_suppresses(model.line_text(finding.span.line), rule.code):
                    finding.severity = settings.severity_of(rule.code, default_severity(finding))
                    findings.append(finding)
        except AnalysisCancelled:
            raise
        except Exception as exc:  # a broken rule must not take the others down
            log.exception("rule %s failed on %s", rule.code, path)
            errors.append(f"{rule.code} failed: {type(exc).__name__}: {exc}")
    findings.sort(key=Finding.sort_key)
    return findings, errors


def default_severity(finding: Finding) -> Severity:
    """The rule's severity, unless the finding carries its own (data["severity"], e.g. one
    case of a rule that is worse than the others); configured severities override both."""
    own = finding.data.get("severity")
    return Severity.parse(own) if own else finding.rule.severity


def analyse_source(source: SourceText, settings: Settings | None = None, path: str | None = None,
                   registry: Registry | None = None, external: ExternalFacts | None = None,
                   versions: KnownVersions = UNKNOWN) -> AnalysisResult:
    return DocumentAnalyzer(path, registry).analyse(source, settings, external, versions=versions)


def analyse_text(text: str, settings: Settings | None = None, path: str | None = None,
                 external: ExternalFacts | None = None, versions: KnownVersions = UNKNOWN) -> AnalysisResult:
    """Convenience for tests and tools: analyse plain Python text."""
    return analyse_source(SourceText(text), settings, path, external=external, versions=versions)
