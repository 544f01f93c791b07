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
import ctypes
import gc
import logging
import os
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace import Workspace
from pygls.workspace.position_codec import PositionCodec

from ..engine import AnalysisResult, DocumentAnalyzer
from ..facts import crossfile
from ..parse.cancel import AnalysisCancelled, Cancellation
from ..project.index import digest, facts_of_version
from ..project.model import FileFacts
from ..rules.config import Settings
from ..model.versions import UNKNOWN, KnownVersions
from ..rules.findings import Finding
from . import convert
from .scope import holding_folder, in_project, is_excluded
from .snapshot import Snapshot, file_snapshot, notebook_snapshot
from .uris import normalise

log = logging.getLogger("mlreview.lsp")


@dataclass
class Analysis:
    snapshot: Snapshot
    settings: Settings
    result: AnalysisResult | None  # None when disabled
    diagnostics: dict[str, list[types.Diagnostic]]  # per normalised document URI
    findings: dict[str, list[tuple[Finding, types.Diagnostic]]]
    external: crossfile.ExternalFacts = crossfile.EMPTY  # the cross-file facts this analysis used
    requests: tuple[crossfile.ImportRequest, ...] = ()  # its imports of workspace modules
    refined: bool = False  # same text as before, new cross-file facts
    versions: KnownVersions = UNKNOWN  # the library versions this analysis used (fix-all uses them too)

    def findings_at(self, uri: str) -> list[tuple[Finding, types.Diagnostic]]:
        return self.findings.get(normalise(uri), [])

    def diagnostics_at(self, uri: str) -> list[types.Diagnostic]:
        return self.diagnostics.get(normalise(uri), [])


@dataclass(eq=False)
class Unit:
    key: str  # the normalised URI of the file or notebook
    uri: str  # as the client spells it
    path: str | None
    notebook: bool
    analyzer: DocumentAnalyzer
    generation: int = 0
    runner: asyncio.Task | None = None
    current: Analysis | None = None
    published: dict[str, str] = field(default_factory=dict)  # normalised -> client URI of published documents
    analyses: int = 0  # how many analyses ran (tests check that bursts coalesce)
    urgent: bool = False  # skip the debounce (just opened, or the configuration changed)
    root: str | None = None  # the workspace folder holding the file: jedi's project
    external: crossfile.ExternalFacts = crossfile.EMPTY  # the latest cross-file facts, for the next analysis
    resolving: bool = False  # a cross-file resolution is running
    resolve_again: bool = False  # asked for while one ran: the files it read may have changed
    cancellation: Cancellation | None = None  # the running analysis's: a newer version or exit cancels it


def take_snapshot(workspace: Workspace, unit: Unit) -> Snapshot | None:
    """Read the unit's current text from pygls's workspace (on the event loop)."""
    read = notebook_snapshot if unit.notebook else file_snapshot
    return read(workspace, unit.key, unit.uri)


def analyse(unit: Unit, snapshot: Snapshot, settings: Settings, codec: PositionCodec,
            versions: KnownVersions = UNKNOWN) -> Analysis:
    """Run the engine and convert to diagnostics (in the analysis thread)."""
    if not settings.enable or is_excluded(unit, settings):
        return converted(unit, snapshot, settings, None, codec)
    unit.analyses += 1
    external = unit.external
    result = unit.analyzer.analyse(snapshot.source, settings, external, unit.cancellation,
                                   in_project=in_project(unit, settings), versions=versions, lines=snapshot.lines)
    return converted(unit, snapshot, settings, result, codec, external, versions)


def converted(unit: Unit, snapshot: Snapshot, settings: Settings, result: AnalysisResult | None,
              codec: PositionCodec, external: crossfile.ExternalFacts = crossfile.EMPTY,
              versions: KnownVersions = UNKNOWN) -> Analysis:
    """An engine result as diagnostics (None: the document is not analysed)."""
    if result is None:
        return Analysis(snapshot, settings, None, {key: [] for key in snapshot.versions},
                        {key: [] for key in snapshot.versions})
    diagnostics, findings = convert.result_diagnostics(snapshot, result, codec, settings.docs_base_url)
    requests = crossfile.import_requests(crossfile.model_imports(result.model)) if unit.path else ()
    return Analysis(snapshot, settings, result, diagnostics, findings, external, requests, versions=versions)


class IdleCollector:
    """Runs Python's cyclic garbage collector between analyses instead of inside them.

    A full collection walks every live AST node (about 100 ms for a 4,000-line file, 350 ms
    under load); left automatic, it lands in the middle of a keystroke's analysis. Here the
    young generations, where typing's garbage is (the trees of chunks re-parsed and replaced
    again; a superseded version's facts are dropped so its model goes by reference counting,
    see `retire`), are collected in the first short pause between keystrokes, or every
    `every` analyses of uninterrupted typing; a young collection walks everything the edits
    since the last one kept (5-20 ms after 25 edits of a 4,000-line file), which delayed the
    next keystroke when it ran right after an analysis. A newly opened document's trees are
    frozen after its first analysis (`opened`): they live as long as the document, and young
    collections walking them were 600 ms pauses on a 4,000-line file. Once typing pauses for
    `idle_seconds`: unfreeze, collect everything, freeze what survived. Memory stays bounded
    (typing leaves a few hundred unreachable objects per 25 edits), no pause.
    """

    def __init__(self, every: int = 200, pause_seconds: float = 0.05, idle_seconds: float = 1.0):
        self.every = every
        self.pause_seconds = pause_seconds
        self.idle_seconds = idle_seconds
        self.since_collection = 0
        self.pause: asyncio.TimerHandle | None = None
        self.pending: asyncio.TimerHandle | None = None
        self.trim = False

    def analysed(self) -> None:
        if gc.isenabled():
            return  # embedded in a process that manages its own collector
        self.since_collection += 1
        for timer in (self.pause, self.pending):
            if timer is not None:
                timer.cancel()
        if self.since_collection >= self.every:
            self.collect_young()
        loop = asyncio.get_running_loop()
        self.pause = loop.call_later(self.pause_seconds, self.collect_young)
        self.pending = loop.call_later(self.idle_seconds, self.collect)

    def collect_young(self) -> None:
        self.pause = None
        if self.since_collection:
            self.since_collection = 0
            gc.collect(1)

    def opened(self) -> None:
        """A document's first analysis: what it built stays, out of the young collections' reach."""
        if not gc.isenabled():
            gc.freeze()
        self.analysed()

    def released(self) -> None:
        """A document was closed: after the next collection, hand its pages back to the system."""
        self.trim = True
        self.analysed()

    def collect(self) -> None:
        self.pending = None
        self.since_collection = 0
        collect_everything()
        if self.trim:
            self.trim = False
            return_memory_to_system()


def collect_everything() -> None:
    """A full collection, frozen objects included (a closed document's trees may be among
    them); what survives is frozen again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def retire(analysis: Analysis | None) -> None:
    """A newer analysis replaced this one: drop its model's facts. They point back at the
    model, and that cycle kept the model and all its indexes (thousands of objects per
    keystroke) waiting for the cyclic collector; without it reference counting frees them.
    Facts are a cache: a late reader (a code action on the old version) builds them again;
    one reading them now (in another thread) keeps the dict it holds."""
    if analysis is not None and analysis.result is not None:
        analysis.result.model.built_facts = {}


def return_memory_to_system() -> None:
    """glibc keeps freed memory for reuse: a closed 100k-line document left ~270 MB of RSS.
    malloc_trim returns it; elsewhere (or without glibc) nothing is done."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class DocumentStore:
    """Open units, their scheduling, and where results go (`on_result`, on the loop)."""

    def __init__(self, workspace: Callable[[], Workspace], settings_for: Callable[[str | None], Settings],
                 on_result: Callable[[Unit, Analysis], None], resolution_budget: float = 1.0,
                 versions_for: Callable[[str | None], KnownVersions] = lambda path: UNKNOWN):
        self.workspace = workspace
        self.settings_for = settings_for
        self.versions_for = versions_for  # cached answers only: never computed on the keystroke path
        self.on_result = on_result
        self.units: dict[str, Unit] = {}  # by normalised URI
        self.cell_units: dict[str, str] = {}  # normalised cell URI -> normalised notebook URI
        # One analysis thread: analyzers keep state between versions and are not thread-safe.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlreview-analysis")
        # jedi look-ups get a thread of their own so they never delay an analysis queued behind them.
        self.resolver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlreview-crossfile")
        self.resolution_budget = resolution_budget
        self.collector = IdleCollector()
        # Closed units, their last models and syntax trees, weakly: they must die (stats counts them).
        self.closed: weakref.WeakSet = weakref.WeakSet()

    # ----- lifecycle ---------------------------------------------------------------

    def open(self, uri: str, path: str | None, cell_uris: list[str] | None = None) -> Unit:
        """A file was opened, or a notebook with these cells (URIs as the client sent them)."""
        key = normalise(uri)
        unit = self.units.get(key)
        if unit is None:
            unit = self.units[key] = Unit(key, uri, path, cell_uris is not None, DocumentAnalyzer(path))
            unit.root = self.root_for(path)
        if cell_uris is not None:
            self.cells_are(key, cell_uris)
        self.changed(key, urgent=True)
        return unit

    def adopt(self, uri: str, path: str | None, analyzer: DocumentAnalyzer, analyses: int,
              result: AnalysisResult | None, settings: Settings, stale: bool) -> Unit:
        """A file the early loop (early.py) opened, analysed and published: its analysis becomes
        the unit's current one (hover and code actions read it), without analysing it again,
        unless that analysis was cancelled (`stale`)."""
        key = normalise(uri)
        unit = self.units[key] = Unit(key, uri, path, False, analyzer, analyses=analyses)
        unit.root = self.root_for(path)
        unit.published = {key: uri}
        if stale:
            self.changed(key, urgent=True)
            return unit
        snapshot = take_snapshot(self.workspace(), unit)
        unit.current = converted(unit, snapshot, settings, result, self.workspace().position_codec)
        self.refine(unit)  # cross-file facts, as after any publish
        return unit

    def cells_are(self, key: str, cell_uris: list[str]) -> None:
        """The notebook `key` now holds these cells (after an insertion or a deletion)."""
        for cell, owner in list(self.cell_units.items()):
            if owner == key:
                del self.cell_units[cell]
        for cell in cell_uris:
            self.cell_units[normalise(cell)] = key

    def close(self, uri: str) -> Unit | None:
        key = normalise(uri)
        unit = self.units.pop(key, None)
        if unit is not None:
            unit.generation += 1
            self.cancel_analysis(unit)
            if unit.runner is not None:
                unit.runner.cancel()
            self.cells_are(key, [])
            self.closed.add(unit)
            if (model := unit.analyzer.model) is not None:
                self.closed.update([model, *(chunk.tree for chunk in model.chunks if chunk.tree is not None)])
            self.release(unit)
        return unit

    def release(self, unit: Unit) -> None:
        """Free what a closed unit held: its analyzer's trees (in the analysis thread, which
        may still be finishing with them), then its cycles, by a collection soon after."""
        loop = asyncio.get_running_loop()
        try:
            released = loop.run_in_executor(self.executor, unit.analyzer.release)
        except RuntimeError:  # shut down: the process is exiting anyway
            return
        released.add_done_callback(lambda _: self.collector.released())

    @staticmethod
    def cancel_analysis(unit: Unit) -> None:
        if unit.cancellation is not None:
            unit.cancellation.cancel()

    def unit_for(self, uri: str) -> Unit | None:
        """The unit a document or notebook-cell URI belongs to (any spelling of it)."""
        key = normalise(uri)
        return self.units.get(key) or self.units.get(self.cell_units.get(key, ""))

    # ----- scheduling ----------------------------------------------------------------

    def edited(self, uri: str) -> None:
        """The client changed a document or a notebook (URI as it sent it)."""
        unit = self.unit_for(uri)
        if unit is not None:
            self.changed(unit.key)

    def changed(self, key: str, urgent: bool = False) -> None:
        unit = self.units.get(key)
        if unit is None:
            return
        unit.generation += 1
        self.cancel_analysis(unit)  # its result would be dropped anyway
        unit.urgent = unit.urgent or urgent
        if unit.runner is None or unit.runner.done():
            unit.runner = asyncio.get_running_loop().create_task(self._run(unit))

    def changed_all(self) -> None:
        for key in list(self.units):
            self.changed(key, urgent=True)

    def busy(self) -> bool:
        """Some open document waits for, or is in, its analysis (read from other threads)."""
        return any(unit.runner is not None and not unit.runner.done() for unit in list(self.units.values()))

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
            unit.cancellation = Cancellation()
            try:
                analysis = await loop.run_in_executor(self.executor, analyse, unit, snapshot, settings, codec,
                                                      self.versions_for(unit.path))
            except AnalysisCancelled:  # superseded or closed: the loop's condition decides
                self.collector.analysed()  # what it built is garbage (cycles) all the same
                continue
            except Exception:
                log.exception("analysing %s failed", unit.key)
                unit.current = None
                return
            finally:
                unit.cancellation = None
            if unit.generation != generation:
                continue  # superseded while it ran: drop it, analyse the latest text
            previous, unit.current = unit.current, analysis
            analysis.refined = previous is not None and previous.external != analysis.external \
                and previous.snapshot.versions == analysis.snapshot.versions
            self.on_result(unit, analysis)
            retire(previous)
            if previous is None:
                self.collector.opened()
            else:
                self.collector.analysed()
            self.refine(unit)
            self.refine_importers(unit)
            return

    # ----- cross-file facts: after publishing ----------------------------------------------

    def root_for(self, path: str | None) -> str | None:
        """The workspace folder holding `path` (the deepest), else the workspace root."""
        workspace = self.workspace()
        folders = [to_fs_path(uri) for uri in workspace.folders] or [workspace.root_path]
        return holding_folder(path, folders)

    def refine(self, unit: Unit) -> None:
        """Resolve the published version's workspace imports in the background (cached per
        imports and target files, so usually instant); nothing to do without such imports."""
        analysis = unit.current
        if analysis is None or unit.path is None:
            return
        if unit.resolving:
            unit.resolve_again = True  # an imported file's editor text may be newer than it read
            return
        if not analysis.requests:
            unit.external = crossfile.EMPTY  # the next analysis drops facts about names no longer imported
            return
        unit.resolving = True
        asyncio.get_running_loop().create_task(self._resolve(unit))

    def refine_importers(self, edited: Unit) -> None:
        """An open file whose functions other open documents apply at their calls was analysed (its
        text changed): those documents resolve their imports again, with its editor text."""
        if edited.path is None:
            return
        path = os.path.realpath(edited.path)
        for unit in list(self.units.values()):
            if unit is not edited and any(definition.path == path for _, definition in unit.external.definitions):
                self.refine(unit)

    def analysed_facts(self) -> dict[str, tuple[str, FileFacts]]:
        """In the analysis thread (the chunks are the last analysis's): each open file's project
        facts from its analysed model, by real path, with the digest of the text they describe.
        The project review reads them instead of parsing the editor's text again."""
        found = {}
        for unit in list(self.units.values()):
            model = unit.analyzer.model
            if unit.path is not None and not unit.notebook and model is not None:
                found[os.path.realpath(unit.path)] = (digest(model.source.text.encode("utf-8")),
                                                      facts_of_version(model))
        return found

    def open_texts(self) -> dict[str, str]:
        """The editor texts of the open Python files (path -> text): they win over the disk's."""
        texts = {}
        for unit in self.units.values():
            if unit.path is not None and not unit.notebook:
                document = self.workspace().text_documents.get(unit.uri)
                if document is not None:
                    texts[unit.path] = document.source
        return texts

    async def _resolve(self, unit: Unit) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                requests = unit.current.requests
                unit.resolve_again = False
                resolution = await loop.run_in_executor(
                    self.resolver, crossfile.resolve_external, unit.path, requests, unit.root,
                    self.resolution_budget, self.open_texts())
                if self.units.get(unit.key) is not unit or unit.current is None:
                    return
                if unit.current.requests == requests and not unit.resolve_again:
                    break
                # A newer version imports something else, or an imported file changed: again.
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
            self.cancel_analysis(unit)
            if unit.runner is not None:
                unit.runner.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.resolver.shutdown(wait=False, cancel_futures=True)
