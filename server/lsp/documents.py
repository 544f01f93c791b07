"""Per-document state: one incremental analyzer per file or notebook.

A "unit" is what is analysed as one text: a Python file, or a notebook (its
code cells joined in order). Each change bumps the unit's generation; one
runner task per unit waits out the debounce, snapshots the text on the event
loop, analyses it in the single analysis thread (the analyzer is not shared
between threads), converts the findings to diagnostics there too, and hands
the result back to the loop. A result whose generation was superseded while it
was computed is dropped and the runner goes again with the latest text.

Cross-file facts (facts/crossfile.py: is `Net` from models.py an nn.Module?) come
later: after a version is published, if it imports workspace modules, jedi
resolves them in a thread of its own (never the analysis thread, never on a
keystroke's path); when the answer differs from the facts that analysis used,
the unit is analysed again with them and published again.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace import Workspace
from pygls.workspace.position_codec import PositionCodec

from ..engine import AnalysisResult, DocumentAnalyzer
from ..facts import crossfile
from ..parse.chunks import split_lines
from ..parse.source import CellSpan, SourceText, join_cells
from ..rules.config import Settings
from ..rules.findings import Finding
from . import convert

log = logging.getLogger("mlreview.lsp")


@dataclass
class Snapshot:
    """The text of a unit at one moment, with the versions it was taken at."""

    key: str
    source: SourceText
    lines: list[str]
    versions: dict[str, int | None]  # document (or cell) uri -> version
    cell_uris: list[str] | None = None  # parallel to source.cells for notebooks

    def place(self, line: int) -> tuple[str, int] | None:
        """(uri, line offset) of the document holding 1-based unit line `line`."""
        if self.cell_uris is None:
            return self.key, 0
        cell = self.source.cell_at(line)
        if cell is None:
            return None
        return self.cell_uris[self.source.cells.index(cell)], cell.first_line - 1

    def cell_of_uri(self, uri: str) -> CellSpan | None:
        if self.cell_uris is None or uri not in self.cell_uris:
            return None
        return self.source.cells[self.cell_uris.index(uri)]

    def lines_of(self, uri: str) -> tuple[list[str], int]:
        """The unit lines and the line offset of `uri` in them."""
        cell = self.cell_of_uri(uri)
        return self.lines, (cell.first_line - 1 if cell else 0)


@dataclass
class Analysis:
    snapshot: Snapshot
    settings: Settings
    result: AnalysisResult | None  # None when disabled
    diagnostics: dict[str, list[types.Diagnostic]]
    findings: dict[str, list[tuple[Finding, types.Diagnostic]]]
    external: crossfile.ExternalFacts = crossfile.EMPTY  # the cross-file facts this analysis used
    requests: tuple[crossfile.ImportRequest, ...] = ()  # its imports of workspace modules
    refined: bool = False  # same text as before, new cross-file facts


@dataclass(eq=False)
class Unit:
    key: str
    path: str | None
    notebook: bool
    analyzer: DocumentAnalyzer
    generation: int = 0
    runner: asyncio.Task | None = None
    current: Analysis | None = None
    published: set[str] = field(default_factory=set)
    analyses: int = 0  # how many analyses ran (tests check that bursts coalesce)
    urgent: bool = False  # skip the debounce (just opened, or the configuration changed)
    root: str | None = None  # the workspace folder holding the file: jedi's project
    external: crossfile.ExternalFacts = crossfile.EMPTY  # the latest cross-file facts, for the next analysis
    resolving: bool = False  # a cross-file resolution is running


def take_snapshot(workspace: Workspace, unit: Unit) -> Snapshot | None:
    """Read the unit's current text from pygls's workspace (on the event loop)."""
    if not unit.notebook:
        document = workspace.text_documents.get(unit.key)
        if document is None:
            return None
        text = document.source
        return Snapshot(unit.key, SourceText(text), split_lines(text), {unit.key: document.version})
    notebook = workspace.get_notebook_document(notebook_uri=unit.key)
    if notebook is None:
        return None
    sources, uris, versions = [], [], {}
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.kind != types.NotebookCellKind.Code:
            continue
        document = workspace.text_documents.get(cell.document)
        if document is None:
            continue
        sources.append((index, document.source))
        uris.append(cell.document)
        versions[cell.document] = document.version
    source = join_cells(sources)
    return Snapshot(unit.key, source, split_lines(source.text), versions, uris)


def analyse(unit: Unit, snapshot: Snapshot, settings: Settings, codec: PositionCodec) -> Analysis:
    """Run the engine and convert to diagnostics (in the analysis thread)."""
    empty = {uri: [] for uri in snapshot.versions}
    if not settings.enable:
        return Analysis(snapshot, settings, None, empty, {uri: [] for uri in snapshot.versions})
    unit.analyses += 1
    external = unit.external
    # A file of the workspace: its PROJECT-scope findings come from the project review (project_index.py).
    result = unit.analyzer.analyse(snapshot.source, settings, external, in_project=settings.project and unit.path is not None)
    diagnostics, findings = empty, {uri: [] for uri in snapshot.versions}
    for finding in result.findings:
        place = snapshot.place(finding.span.line)
        if place is None or place[0] not in diagnostics:
            continue
        uri, offset = place
        related = related_information(snapshot, codec, finding)
        diag = convert.diagnostic(finding, convert.span_to_range(codec, snapshot.lines, finding.span, offset),
                                  snapshot.key, settings.docs_base_url, related)
        diagnostics[uri].append(diag)
        findings[uri].append((finding, diag))
    for problem in result.problems:
        place = snapshot.place(problem.line)
        if place is not None and place[0] in diagnostics:
            diagnostics[place[0]].append(convert.problem_diagnostic(problem, codec, snapshot.lines, place[1]))
    requests = crossfile.import_requests(crossfile.model_imports(result.model)) if unit.path else ()
    return Analysis(snapshot, settings, result, diagnostics, findings, external, requests)


def related_information(snapshot: Snapshot, codec: PositionCodec,
                        finding: Finding) -> list[types.DiagnosticRelatedInformation]:
    out = []
    for related in finding.related:
        place = snapshot.place(related.span.line)
        if place is None:
            continue
        uri, offset = place
        location = types.Location(uri=uri, range=convert.span_to_range(codec, snapshot.lines, related.span, offset))
        out.append(types.DiagnosticRelatedInformation(location=location, message=related.message))
    return out


class IdleCollector:
    """Runs Python's cyclic garbage collector between analyses instead of inside them.

    A full collection walks every live AST node (about 100 ms for a 4,000-line file);
    left automatic, it lands in the middle of a keystroke's analysis. Here it runs once
    typing pauses, or after every `every` analyses so memory stays bounded while typing.
    """

    def __init__(self, every: int = 200, idle_seconds: float = 1.0):
        self.every = every
        self.idle_seconds = idle_seconds
        self.since_collection = 0
        self.pending: asyncio.TimerHandle | None = None

    def analysed(self) -> None:
        if gc.isenabled():
            return  # embedded in a process that manages its own collector
        self.since_collection += 1
        if self.pending is not None:
            self.pending.cancel()
        if self.since_collection >= self.every:
            self.collect()
        else:
            self.pending = asyncio.get_running_loop().call_later(self.idle_seconds, self.collect)

    def collect(self) -> None:
        self.pending = None
        self.since_collection = 0
        gc.collect()


class DocumentStore:
    """Open units, their scheduling, and where results go (`on_result`, on the loop)."""

    def __init__(self, workspace: Callable[[], Workspace], settings_for: Callable[[str | None], Settings],
                 on_result: Callable[[Unit, Analysis], None], resolution_budget: float = 1.0):
        self.workspace = workspace
        self.settings_for = settings_for
        self.on_result = on_result
        self.units: dict[str, Unit] = {}
        self.cell_units: dict[str, str] = {}  # cell uri -> notebook uri
        # One analysis thread: analyzers keep state between versions and are not thread-safe.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlreview-analysis")
        # jedi look-ups get a thread of their own so they never delay an analysis queued behind them.
        self.resolver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlreview-crossfile")
        self.resolution_budget = resolution_budget
        self.collector = IdleCollector()

    # ----- lifecycle ---------------------------------------------------------------

    def open(self, key: str, path: str | None, notebook: bool = False) -> Unit:
        unit = self.units.get(key)
        if unit is None:
            unit = self.units[key] = Unit(key, path, notebook, DocumentAnalyzer(path))
            unit.root = self.root_for(path)
        self.changed(key, urgent=True)
        return unit

    def close(self, key: str) -> Unit | None:
        unit = self.units.pop(key, None)
        if unit is not None:
            unit.generation += 1
            if unit.runner is not None:
                unit.runner.cancel()
            for cell, owner in list(self.cell_units.items()):
                if owner == key:
                    del self.cell_units[cell]
        return unit

    def unit_for(self, uri: str) -> Unit | None:
        """The unit a document or notebook-cell uri belongs to."""
        return self.units.get(uri) or self.units.get(self.cell_units.get(uri, ""))

    # ----- scheduling ----------------------------------------------------------------

    def changed(self, key: str, urgent: bool = False) -> None:
        unit = self.units.get(key)
        if unit is None:
            return
        unit.generation += 1
        unit.urgent = unit.urgent or urgent
        if unit.runner is None or unit.runner.done():
            unit.runner = asyncio.get_running_loop().create_task(self._run(unit))

    def changed_all(self) -> None:
        for key in list(self.units):
            self.changed(key, urgent=True)

    async def current(self, unit: Unit) -> Analysis | None:
        """The analysis of the unit's latest text (waits for a pending one)."""
        while unit.runner is not None and not unit.runner.done():
            await asyncio.shield(unit.runner)
        return unit.current

    async def _run(self, unit: Unit) -> None:
        loop = asyncio.get_running_loop()
        while self.units.get(unit.key) is unit:
            generation = unit.generation
            settings = self.settings_for(unit.path)
            if settings.debounce and not unit.urgent:
                await asyncio.sleep(settings.debounce / 1000)
                if unit.generation != generation:
                    continue  # more typing: wait again
            unit.urgent = False
            snapshot = take_snapshot(self.workspace(), unit)
            if snapshot is None:
                return
            codec = self.workspace().position_codec
            try:
                analysis = await loop.run_in_executor(self.executor, analyse, unit, snapshot, settings, codec)
            except Exception:
                log.exception("analysing %s failed", unit.key)
                unit.current = None
                return
            if unit.generation != generation:
                continue  # superseded while it ran: drop it, analyse the latest text
            previous, unit.current = unit.current, analysis
            analysis.refined = previous is not None and previous.external != analysis.external \
                and previous.snapshot.versions == analysis.snapshot.versions
            self.on_result(unit, analysis)
            self.collector.analysed()
            self.refine(unit)
            return

    # ----- cross-file facts: after publishing ----------------------------------------------

    def root_for(self, path: str | None) -> str | None:
        """The workspace folder holding `path` (the deepest), else the workspace root."""
        if path is None:
            return None
        workspace = self.workspace()
        folders = [to_fs_path(uri) for uri in workspace.folders] or [workspace.root_path]
        folders = [f for f in folders if f]
        holding = [f for f in folders if os.path.commonpath([os.path.abspath(f), os.path.abspath(path)])
                   == os.path.abspath(f)]
        return max(holding, key=len) if holding else None

    def refine(self, unit: Unit) -> None:
        """Resolve the published version's workspace imports in the background (cached per
        imports and target files, so usually instant); nothing to do without such imports."""
        analysis = unit.current
        if analysis is None or unit.path is None or unit.resolving:
            return
        if not analysis.requests:
            unit.external = crossfile.EMPTY  # the next analysis drops facts about names no longer imported
            return
        unit.resolving = True
        asyncio.get_running_loop().create_task(self._resolve(unit))

    async def _resolve(self, unit: Unit) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                requests = unit.current.requests
                resolution = await loop.run_in_executor(
                    self.resolver, crossfile.resolve_external, unit.path, requests, unit.root,
                    self.resolution_budget)
                if self.units.get(unit.key) is not unit or unit.current is None:
                    return
                if unit.current.requests == requests:
                    break
                # A newer version imports something else: resolve that instead.
        except Exception:
            log.exception("cross-file resolution of %s failed", unit.key)
            return
        finally:
            unit.resolving = False
        unit.external = resolution.facts
        if resolution.facts != unit.current.external:
            self.changed(unit.key, urgent=True)  # analyse again with the facts, publish again

    def shutdown(self) -> None:
        for unit in self.units.values():
            if unit.runner is not None:
                unit.runner.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.resolver.shutdown(wait=False, cancel_futures=True)
