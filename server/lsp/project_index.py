"""The workspace's project review in the language server: the project index is built in a
background thread after `initialized` (with `$/progress` when the client supports it), never
on the keystroke path; project findings are published on their anchor documents, open or
not, and recomputed (only the changed files' facts) when documents or files change."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ..rules.config import ConfigError, Settings, find_config_file, load_config_file, parse_settings
from ..diagnostics import REGISTRY
from ..facts.versions import with_installed
from ..model.versions import UNKNOWN, KnownVersions
from ..project.discovery import find_root
from ..project.index import ProjectIndex
from ..project.metadata import project_versions
from ..project.report import scorecard, to_markdown
from ..project.runner import run_project_rules
from . import convert
from .uris import normalise

log = logging.getLogger("mlreview.lsp")
REFRESH_DELAY = 0.3  # seconds: coalesce a burst of edits or file events into one rebuild
DOCUMENTS_FIRST_LIMIT = 5.0  # seconds the index waits for busy documents before it goes on anyway
PROJECT_FILE_PATTERNS = ("**/*.py", "**/*.ipynb", "**/requirements*.txt", "**/pyproject.toml", "**/*.dvc",
                         "**/.gitattributes", "**/*.md", "**/*.lock", "**/constraints*.txt", "**/Pipfile",
                         "**/environment.y*ml", "**/conda-lock.y*ml")


class WorkspaceProjects:
    def __init__(self, server):
        self.server = server
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="mlreview-project")
        self.indexes: dict[Path, ProjectIndex] = {}
        self.results: dict[Path, tuple] = {}  # root -> (project, [(relative path, Finding)], {uri: entries})
        self.published: dict[str, list[types.Diagnostic]] = {}  # uri -> project diagnostics
        self.findings: dict[str, list[tuple]] = {}  # uri -> [(Finding, Diagnostic)], for hovers
        self.spelling: dict[str, str] = {}  # normalised uri -> the uri the findings are keyed by
        self.pending: asyncio.Task | None = None
        self.waiting = False  # the pending rebuild is still in its coalescing delay
        self.again = False  # something changed while a rebuild ran
        self.progress_supported = False
        self.declared: dict[Path, KnownVersions] = {}  # root -> the versions its files declare or lock
        self.files_changed = True  # files on disk changed since the declared versions were read

    # ----- what the server asks ------------------------------------------------------------

    def diagnostics_for(self, uri: str) -> list[types.Diagnostic]:
        return self.published.get(self.spelling.get(normalise(uri), uri), [])

    def findings_for(self, uri: str) -> list[tuple]:
        return self.findings.get(self.spelling.get(normalise(uri), uri), [])

    def versions_for(self, path: str | None) -> KnownVersions:
        """What the document's project declares or locks (as of the last review), with the
        editor's interpreter's installed versions where the project says nothing."""
        declared = UNKNOWN
        if path is not None:
            holding = [root for root in self.declared if Path(path).resolve().is_relative_to(root.resolve())]
            if holding:
                declared = self.declared[max(holding, key=lambda root: len(root.parts))]
        return with_installed(declared, self.server.installed.versions)

    def report(self) -> str | None:
        if not self.results:
            return None
        # Links as file: URIs: the editor shows the markdown from a document outside the project.
        return "\n".join(to_markdown(scorecard(project, findings, self.selected_rules(root)),
                                     link_base=project.root.as_uri() + "/")
                         for root, (project, findings, _) in self.results.items())

    def selected_rules(self, root: Path) -> list:
        settings = self.indexes[root].settings
        return [rule for rule in REGISTRY if settings.is_enabled(rule.code, on_by_default=rule.on_by_default)]

    # ----- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        window = self.server.client_capabilities.window
        self.progress_supported = bool(window and window.work_done_progress)
        workspace = self.server.workspace
        folders = [to_fs_path(uri) for uri in workspace.folders] or [workspace.root_path]
        for folder in filter(None, folders):
            if not Path(folder).is_absolute() or not Path(folder).is_dir():
                continue  # a folder of another machine (c:/...) must not resolve against our cwd
            root = find_root(Path(folder))
            if root not in self.indexes:
                self.indexes[root] = ProjectIndex(root, background=True)
        if self.indexes:
            self.schedule(delay=0)

    def schedule(self, delay: float = REFRESH_DELAY) -> None:
        """Rebuild soon (a burst of calls gives one rebuild); runs on the event loop."""
        if not self.indexes:
            return
        if self.pending is not None and not self.pending.done():
            if self.waiting:  # not started yet: start the wait again
                self.pending.cancel()
            else:  # running: never cancelled mid-way (a progress request may be in flight); run again after
                self.again = True
                return
        self.pending = asyncio.get_running_loop().create_task(self._rebuild(delay))

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    # ----- the rebuild -------------------------------------------------------------------------

    async def _rebuild(self, delay: float) -> None:
        self.waiting = True
        await asyncio.sleep(delay)
        self.waiting, self.again = False, False
        progress = await self._begin_progress()
        loop = asyncio.get_running_loop()
        declared_before = dict(self.declared)
        reread_versions, self.files_changed = self.files_changed, False
        try:
            analysed = await loop.run_in_executor(self.server.store.executor, self.server.store.analysed_facts)
            for root, index in list(self.indexes.items()):
                index.settings = self.settings_of(root)
                if not index.settings.project:  # no review, but line rules still need the versions
                    self.results.pop(root, None)
                    if reread_versions or root not in self.declared:
                        self.declared[root] = await loop.run_in_executor(
                            self.executor, project_versions, root, index.settings)
                    continue
                overrides = self._open_texts(root)
                adopt_analysed(index, analysed)
                report = self._reporter(loop, progress)
                self.results[root] = await loop.run_in_executor(self.executor, self._review, index, overrides, report)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("reviewing the project failed")
        finally:
            self._end_progress(progress)
        self._publish()
        if any(versions != declared_before.get(root, UNKNOWN) for root, versions in self.declared.items()):
            self.server.versions_changed(project=False)  # open documents' findings may depend on them
        if self.again:
            self.pending = asyncio.get_running_loop().create_task(self._rebuild(REFRESH_DELAY))

    def settings_of(self, root: Path) -> Settings:
        """The project's configuration read afresh (the documents' store caches per folder and
        reports problems; this only needs the values)."""
        base = Settings()
        config = find_config_file(root)
        if config is not None:
            try:
                base, _ = load_config_file(config)
            except ConfigError:
                pass
        settings, _ = parse_settings(self.server.config.editor, "editor settings", editor=True, base=base)
        return settings

    def _review(self, index: ProjectIndex, overrides: dict[str, bytes], report) -> tuple:
        """In the worker thread: facts (cached by content) and the project rules."""
        project = index.build(overrides, progress=report, pause=self._documents_first)
        self.declared[index.root] = project.meta.versions
        project.meta.versions = with_installed(project.meta.versions, self.server.installed.versions)
        texts = {relative: data.decode("utf-8", "replace") for relative, data in overrides.items()}

        def document_text(relative: str) -> str:
            if relative not in texts:
                try:
                    texts[relative] = (index.root / relative).read_text("utf-8", errors="replace")
                except OSError:
                    texts[relative] = ""
            return texts[relative]

        found = run_project_rules(project, REGISTRY, index.settings, document_text)
        diagnostics = {}
        for item in found:
            lines = document_text(item.path).splitlines(keepends=True)
            uri = from_fs_path(str(index.root / item.path))
            diagnostics.setdefault(uri, []).append((item.finding, lines))
        return project, [(item.path, item.finding) for item in found], diagnostics

    def _documents_first(self) -> None:
        """In the worker thread, between files: wait while an open document is being analysed
        (its diagnostics are what the user is waiting for)."""
        deadline = time.monotonic() + DOCUMENTS_FIRST_LIMIT
        while self.server.store.busy() and time.monotonic() < deadline:
            time.sleep(0.01)

    def _open_texts(self, root: Path) -> dict[str, bytes]:
        """Unsaved editor texts of the project's files: the index sees what the user sees."""
        texts = {}
        for uri, document in list(self.server.workspace.text_documents.items()):
            path = to_fs_path(uri) if uri.startswith("file:") else None
            if path is None:
                continue
            try:
                relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
            texts[relative] = document.source.encode("utf-8")
        return texts

    def _publish(self) -> None:
        codec = self.server.workspace.position_codec
        findings: dict[str, list[tuple]] = {}
        for root, (_, _, diagnostics) in self.results.items():
            settings = self.indexes[root].settings
            for uri, entries in diagnostics.items():
                findings[uri] = [(finding, convert.diagnostic(
                    finding, convert.span_to_range(codec, lines, finding.span), settings.docs_base_url, None))
                    for finding, lines in entries]
        fresh = {uri: [diagnostic for _, diagnostic in entries] for uri, entries in findings.items()}
        changed = set(fresh) | set(self.published)
        changed = {uri for uri in changed if fresh.get(uri) != self.published.get(uri)}
        self.published, self.findings = fresh, findings
        self.spelling = {normalise(uri): uri for uri in findings}  # the client may spell a URI otherwise
        if self.server.pulls:
            if changed:
                self.server.refresh_pulled_diagnostics()
            return
        for uri in changed:
            self.server.republish(uri)

    # ----- $/progress --------------------------------------------------------------------------

    async def _begin_progress(self) -> str | None:
        if not self.progress_supported:
            return None
        token = f"mlreview-project-{uuid.uuid4().hex[:8]}"
        try:
            await self.server.work_done_progress.create_async(token)
        except Exception:  # the client refused a token: review silently
            return None
        self.server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
            title="mlreview", message="Reviewing project", percentage=0))
        return token

    def _reporter(self, loop, token: str | None):
        if token is None:
            return None
        last = [0]

        def report(done: int, total: int) -> None:  # worker thread: hand the message to the loop
            if done == total or done - last[0] >= max(total // 20, 1):
                last[0] = done
                loop.call_soon_threadsafe(self.server.work_done_progress.report, token, types.WorkDoneProgressReport(
                    message=f"Reviewing project: {done}/{total} files", percentage=int(100 * done / max(total, 1))))
        return report

    def _end_progress(self, token: str | None) -> None:
        if token is not None:
            self.server.work_done_progress.end(token, types.WorkDoneProgressEnd(message="Project reviewed"))


def adopt_analysed(index: ProjectIndex, analysed: dict) -> None:
    """The open documents' facts, from their analyses: the review parses none of them again
    (a 4,000-line file took 60 ms of the interpreter from the keystrokes typed meanwhile)."""
    for path, (key, facts) in analysed.items():
        relative = index.relative(path)
        if relative is not None:
            index.adopt(relative, key, facts)
