"""The mlreview language server: thin handlers over the engine.

Each handler converts LSP in, calls the engine (through documents/actions),
converts LSP out, and catches its own failures (logged to the client's output,
never fatal). Analysis runs in one worker thread; everything sent to the
client is sent from the event loop, since pygls's stdout writer has no lock.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import logging
import sys
import traceback
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..diagnostics import REGISTRY
from ..documentation import hover_markdown, rule_markdown
from ..rules.config import Settings
from . import actions, convert
from .documents import Analysis, DocumentStore, Unit, collect_everything
from .early import EarlySession
from .framing import Incoming
from .interpreter import InstalledVersions
from .project_index import PROJECT_FILE_PATTERNS, WorkspaceProjects
from .settings import CONFIG_NAMES, ConfigStore, is_config_file
from .transport import dispatch, serve_stdio
from .uris import open_document

log = logging.getLogger("mlreview.lsp")

# Every cell, markdown included: a cell's number is its index among all the notebook's
# cells (as in the CLI), and vscode-languageclient syncs only the cells a selector names.
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithNotebook(notebook="jupyter-notebook")],
)
COMMAND_FIX_ALL = "mlreview.fixAll"
COMMAND_SHOW_RULE = "mlreview.showRule"
COMMAND_SHOW_REPORT = "mlreview.showReport"
STATS_REQUEST = "mlreview/stats"
TEXT_REQUEST = "mlreview/documentText"  # tests: the server's copy of a document, to check incremental sync


class MlreviewServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("mlreview", __version__, notebook_document_sync=NOTEBOOK_SYNC)
        self.config = ConfigStore()
        self.installed = InstalledVersions()  # of the editor's interpreter, read in the background
        self.projects = WorkspaceProjects(self)  # the background project review
        self.store = DocumentStore(lambda: self.workspace, self.settings_for, self.deliver,
                                   versions_for=self.projects.versions_for)
        self.reported: set[tuple[str, ...]] = set()

    # ----- client capabilities --------------------------------------------------------

    @property
    def pulls(self) -> bool:
        """Clients that declare pull diagnostics get them only by pulling (as ruff does)."""
        text = self.client_capabilities.text_document
        return text is not None and text.diagnostic is not None

    @property
    def resolves_edits(self) -> bool:
        text = self.client_capabilities.text_document
        support = text and text.code_action and text.code_action.resolve_support
        return bool(support and "edit" in support.properties)

    # ----- messages to the client (event loop only) --------------------------------------

    def log_to_client(self, message: str, level: types.MessageType = types.MessageType.Log) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=level, message=message))
        except Exception:  # no client to tell: stderr is all we have
            log.exception("cannot send a log message")

    def settings_for(self, path: str | None) -> Settings:
        settings, problems = self.config.settings_for(path)
        if problems and problems not in self.reported:
            self.reported.add(problems)
            message = "mlreview: invalid configuration, defaults used for: " + "; ".join(problems)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
            self.log_to_client(message, types.MessageType.Warning)
        return settings

    def deliver(self, unit: Unit, analysis: Analysis) -> None:
        """A fresh analysis: push it (unless the client pulls)."""
        if analysis.result is not None:
            for error in analysis.result.rule_errors:
                self.log_to_client(f"{unit.key}: {error}", types.MessageType.Error)
        self.projects.schedule()  # off the keystroke path: a debounced background rebuild
        if self.pulls:
            if analysis.refined:  # cross-file facts changed what an unchanged text shows: ask to pull again
                self.refresh_pulled_diagnostics()
            return
        snapshot = analysis.snapshot
        for key, uri in unit.published.items():
            if key not in analysis.diagnostics:  # cells that were deleted or turned into markdown
                self.publish(uri, [], None)
        for key, diagnostics in analysis.diagnostics.items():
            self.publish(snapshot.client_uri(key), diagnostics, snapshot.versions.get(key))
        unit.published = {key: snapshot.client_uri(key) for key in analysis.diagnostics}

    def republish(self, uri: str) -> None:
        """Project findings changed on `uri`: publish them with the document's own (if it is open)."""
        unit = self.store.unit_for(uri)
        analysis = unit.current if unit else None
        own = analysis.diagnostics_at(uri) if analysis else []
        self.publish(uri, own, analysis.snapshot.versions.get(uri) if analysis else None)

    def publish(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None) -> None:
        diagnostics = diagnostics + self.projects.diagnostics_for(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def clear(self, unit: Unit | None) -> None:
        if unit is None:
            return
        uris = dict(unit.published)
        if unit.current is not None:
            uris.update((key, unit.current.snapshot.client_uri(key)) for key in unit.current.diagnostics)
        for uri in uris.values():
            self.publish(uri, [], None)

    def configuration_changed(self) -> None:
        self.config.invalidate()
        self.reported.clear()
        self.store.changed_all()
        if self.pulls:
            self.refresh_pulled_diagnostics()

    def use_interpreter(self) -> None:
        """Read the editor's interpreter's installed versions (once per interpreter, off the loop)."""
        loop = asyncio.get_running_loop()
        self.installed.use(self.config.interpreter, lambda: loop.call_soon_threadsafe(self.versions_changed))

    def versions_changed(self, project: bool = True) -> None:
        """The declared or installed versions changed: analyse the open documents (and the project) again."""
        self.store.changed_all()
        if project:
            self.projects.schedule()
        if self.pulls:
            self.refresh_pulled_diagnostics()

    def refresh_pulled_diagnostics(self) -> None:
        workspace = self.client_capabilities.workspace
        if workspace and workspace.diagnostics and workspace.diagnostics.refresh_support:
            self.workspace_diagnostic_refresh(None)


SERVER = MlreviewServer()


def guarded(fallback: Any = None):
    """A handler that logs its own failure to the client and returns `fallback`."""

    def decorate(handler):
        def report(exc: BaseException) -> Any:
            detail = "".join(traceback.format_exception(exc))
            log.error("%s failed: %s", handler.__name__, detail)
            SERVER.log_to_client(f"mlreview: {handler.__name__} failed:\n{detail}", types.MessageType.Error)
            return fallback

        if asyncio.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def async_wrapper(ls, *args):
                try:
                    return await handler(ls, *args)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    return report(exc)
            return async_wrapper

        @functools.wraps(handler)
        def wrapper(ls, *args):
            try:
                return handler(ls, *args)
            except Exception as exc:
                return report(exc)
        return wrapper

    return decorate


def path_of(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


# ----- lifecycle and configuration ----------------------------------------------------


@SERVER.feature(types.INITIALIZE)
@guarded()
def initialize(ls: MlreviewServer, params: types.InitializeParams) -> None:
    ls.config.set_editor(params.initialization_options)


@SERVER.feature(types.INITIALIZED)
@guarded()
def initialized(ls: MlreviewServer, params: types.InitializedParams) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace and workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
        watchers += [types.FileSystemWatcher(glob_pattern=pattern) for pattern in PROJECT_FILE_PATTERNS]
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
        registration = types.Registration(id="mlreview-config-files",
                                          method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                          register_options=options)
        ls.client_register_capability(types.RegistrationParams(registrations=[registration]))
    ls.projects.start()
    ls.use_interpreter()


@SERVER.feature(types.SHUTDOWN)
@guarded()
def shutdown(ls: MlreviewServer, params: None) -> None:
    ls.store.shutdown()
    ls.projects.shutdown()
    ls.installed.shutdown()


@SERVER.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
@guarded()
def did_change_configuration(ls: MlreviewServer, params: types.DidChangeConfigurationParams) -> None:
    if params.settings is not None:
        ls.config.set_editor(params.settings)
    ls.configuration_changed()
    ls.use_interpreter()


@SERVER.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded()
def did_change_watched_files(ls: MlreviewServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(is_config_file(change.uri) for change in params.changes):
        ls.configuration_changed()
    ls.projects.files_changed = True  # the declared versions too
    ls.projects.schedule()  # created, deleted or renamed files change the project's facts


# ----- documents --------------------------------------------------------------------


@SERVER.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded()
def did_open(ls: MlreviewServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.store.open(uri, path_of(uri))


@SERVER.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded()
def did_change(ls: MlreviewServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.store.edited(params.text_document.uri)


@SERVER.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded()
def did_close(ls: MlreviewServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.clear(ls.store.close(params.text_document.uri))


@SERVER.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
@guarded()
def notebook_did_open(ls: MlreviewServer, params: types.DidOpenNotebookDocumentParams) -> None:
    notebook = params.notebook_document
    ls.store.open(notebook.uri, path_of(notebook.uri), [cell.document for cell in notebook.cells])


@SERVER.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
@guarded()
def notebook_did_change(ls: MlreviewServer, params: types.DidChangeNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    cells = params.change.cells
    notebook = ls.workspace.get_notebook_document(notebook_uri=uri)
    unit = ls.store.unit_for(uri)
    if cells is not None and cells.structure is not None and notebook is not None and unit is not None:
        ls.store.cells_are(unit.key, [cell.document for cell in notebook.cells])  # inserted or deleted
    ls.store.edited(uri)


@SERVER.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
@guarded()
def notebook_did_close(ls: MlreviewServer, params: types.DidCloseNotebookDocumentParams) -> None:
    ls.clear(ls.store.close(params.notebook_document.uri))


@SERVER.feature(types.TEXT_DOCUMENT_DIAGNOSTIC)
@guarded(types.RelatedFullDocumentDiagnosticReport(items=[]))
async def pull_diagnostics(ls: MlreviewServer, params: types.DocumentDiagnosticParams):
    uri = params.text_document.uri
    unit = ls.store.unit_for(uri)
    analysis = await ls.store.current(unit) if unit else None
    items = analysis.diagnostics_at(uri) if analysis else []
    return types.RelatedFullDocumentDiagnosticReport(items=items + ls.projects.diagnostics_for(uri))


# ----- hover and code actions ----------------------------------------------------------


def analysis_of(ls: MlreviewServer, uri: str) -> Analysis | None:
    unit = ls.store.unit_for(uri)
    return unit.current if unit else None


@SERVER.feature(types.TEXT_DOCUMENT_HOVER)
@guarded()
def hover(ls: MlreviewServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    analysis = analysis_of(ls, uri)
    own = analysis.findings_at(uri) if analysis else []
    hits = [(f, d) for f, d in own + ls.projects.findings_for(uri) if convert.contains(d.range, params.position)]
    if not hits:
        return None
    base = analysis.settings.docs_base_url if analysis else ls.settings_for(path_of(uri)).docs_base_url
    rules = list(dict.fromkeys(f.rule for f, _ in hits))  # the editor shows each message already
    text = "\n\n---\n\n".join(hover_markdown(rule, base) for rule in rules)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                       range=hits[0][1].range)


@SERVER.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND], resolve_provider=True))
@guarded([])
async def code_action(ls: MlreviewServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    analysis = analysis_of(ls, uri)
    if analysis is None:
        return []
    codec = ls.workspace.position_codec
    listed = actions.list_actions(analysis, uri, params.range, params.context.only, codec)
    if ls.resolves_edits or not any(a.edit is None for a in listed):
        return listed
    # A client without resolve support gets the edits now (built off the loop).
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: [
        a if a.edit is not None else actions.resolve(a, analysis, codec) for a in listed])


@SERVER.feature(types.CODE_ACTION_RESOLVE)
@guarded()
async def code_action_resolve(ls: MlreviewServer, params: types.CodeAction) -> types.CodeAction:
    data = params.data if isinstance(params.data, dict) else {}
    analysis = analysis_of(ls, data.get("uri", ""))
    if analysis is None:
        return params
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, actions.resolve, params, analysis, ls.workspace.position_codec)


# ----- commands and introspection ------------------------------------------------------


def uri_argument(args: tuple) -> str | None:
    first = args[0] if args else None
    if isinstance(first, dict):
        first = first.get("uri") or (first.get("textDocument") or {}).get("uri")
    return first if isinstance(first, str) else None


@SERVER.command(COMMAND_FIX_ALL)
@guarded()
async def fix_all_command(ls: MlreviewServer, *args) -> dict:
    uri = uri_argument(args)
    unit = ls.store.unit_for(uri) if uri else None
    analysis = await ls.store.current(unit) if unit else None
    if analysis is None:
        return {"applied": False}
    loop = asyncio.get_running_loop()
    edit = await loop.run_in_executor(None, actions.fix_all_edit, analysis, ls.workspace.position_codec)
    if edit is None:
        return {"applied": False}
    result = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label="mlreview: fix all"))
    return {"applied": bool(result and result.applied)}


@SERVER.command(COMMAND_SHOW_RULE)
@guarded()
def show_rule_command(ls: MlreviewServer, *args) -> str | None:
    rule = REGISTRY.get(str(args[0])) if args else None
    if rule is None:
        return None
    settings = ls.settings_for(None)
    return rule_markdown(rule, settings.docs_base_url)


@SERVER.command(COMMAND_SHOW_REPORT)
@guarded()
def show_report_command(ls: MlreviewServer, *args) -> str | None:
    """The project's scorecard (markdown), from the last background review."""
    return ls.projects.report()


@SERVER.feature(TEXT_REQUEST)
@guarded(None)
def document_text(ls: MlreviewServer, params: Any) -> str | None:
    """The server's copy of a document ({"uri": ...}), as its incremental edits left it."""
    uri = params.get("uri") if isinstance(params, dict) else getattr(params, "uri", None)
    document = open_document(ls.workspace, uri) if isinstance(uri, str) else None
    return document.source if document is not None else None


@SERVER.feature(STATS_REQUEST)
@guarded({})
def stats(ls: MlreviewServer, params: Any) -> dict:
    """How many analyses each open document cost (tests check that bursts coalesce), and
    how many of closed documents' models and syntax trees are still alive (after a full
    collection; once the analysis thread has released them: none), and how many files the
    project review parsed itself (an open document's facts come from its analysis)."""
    collect_everything()
    return {"analyses": [[key, unit.analyses] for key, unit in ls.store.units.items()],
            "closedAlive": len(ls.store.closed),
            "projectParsed": sum(index.parsed for index in ls.projects.indexes.values())}


def is_late_cancellation(record: logging.LogRecord) -> bool:
    """pygls warns when a $/cancelRequest names a request already answered: a normal race
    (VS Code cancels code actions as the cursor moves), which editors show as an error."""
    return record.msg.startswith("Cancel notification for unknown message id")


def configure_logging() -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="mlreview: %(levelname)s %(message)s")
    logging.getLogger("pygls.protocol.json_rpc").addFilter(lambda record: not is_late_cancellation(record))


def start_tcp(host: str, port: int) -> None:
    """The server over TCP (no early loop)."""
    configure_logging()
    gc.freeze()  # see serve_after
    SERVER.start_tcp(host, port)


def serve_after(session: EarlySession, incoming: Incoming, first: bytes | None) -> None:
    """Serve stdio from where the early loop stopped: adopt its session, handle `first`, then the rest."""
    configure_logging()
    # Everything imported so far lives as long as the process: keeping it out of the
    # collector's reach makes collections cheaper and exit fast (editors kill slow exits).
    # The cyclic collector stays off: the document store runs it between analyses.
    gc.freeze()
    serve_stdio(SERVER, on_exit=SERVER.store.shutdown, incoming=incoming, first=first,
                on_start=lambda: take_over(SERVER, session))


def prepare(ls: MlreviewServer, session: EarlySession) -> None:
    """In the loading thread, while the early loop goes on: what the take-over would otherwise
    do on a keystroke's path (0.1-0.2 s): pygls's initialize (and ours, which it calls)
    replayed without sending its answer again, and the converters typing uses built."""
    if session.initialize is not None:
        try:
            initialize_silently(ls, session.initialize)
            session.replayed = True
        except Exception:
            log.exception("cannot replay the early loop's initialize")
    warm_up(ls)


def take_over(ls: MlreviewServer, session: EarlySession) -> None:
    """The early loop answered `initialize` and analysed the documents opened since: the rest of
    the handshake, then adopt the documents, their text, versions, analyzers and analyses."""
    if session.initialize is None:
        return
    if not session.replayed:  # the loading thread did not get to it
        prepare(ls, session)
        if not session.replayed:
            return
    if session.initialized is not None:
        dispatch(ls, json.dumps(session.initialized).encode())
    ls.protocol._shutdown = session.shutdown  # what transport.dispatch reads
    for document in session.documents.values():
        ls.workspace.put_text_document(types.TextDocumentItem(
            uri=document.uri, language_id=document.language_id, version=document.version, text=document.text))
        ls.store.adopt(document.uri, document.path, document.analyzer, document.analyses, document.result,
                       ls.settings_for(document.path), document.stale)
    if session.documents:
        ls.projects.schedule()  # as after any publish
    session.documents.clear()  # the store holds them now (a closed one must be freed)


def warm_up(ls: MlreviewServer) -> None:
    """cattrs builds each type's (un)structuring code on first use: 0.3 s for the first
    keystroke after the take-over. Build what typing uses now (in the loading thread)."""
    position = {"line": 0, "character": 0}
    change = {"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_DID_CHANGE, "params": {
        "textDocument": {"uri": "file:///warm.py", "version": 1},
        "contentChanges": [{"range": {"start": position, "end": position}, "text": "x"}, {"text": "x"}]}}
    ls.protocol.structure_message(change)
    range_ = types.Range(start=types.Position(0, 0), end=types.Position(0, 1))
    diagnostic = types.Diagnostic(
        range=range_, message="", severity=types.DiagnosticSeverity.Warning, code="ML000", source="mlreview",
        code_description=types.CodeDescription(href="https://example.org"), data={"span": [1, 0, 1, 1]},
        related_information=[types.DiagnosticRelatedInformation(types.Location("file:///warm.py", range_), "")])
    notification = types.PublishDiagnosticsNotification(
        params=types.PublishDiagnosticsParams(uri="file:///warm.py", diagnostics=[diagnostic], version=1))
    json.dumps(notification, default=ls.protocol._serialize_message)


def initialize_silently(ls: MlreviewServer, message: dict) -> types.InitializeResult:
    """Run pygls's initialize (and ours, which it calls) without sending its answer again."""
    params = ls.protocol.structure_message(message).params
    steps = ls.protocol.lsp_initialize(params)
    answer = None
    try:
        while True:
            handler, args, kwargs = steps.send(answer)
            answer = handler(*args, **(kwargs or {}))
    except StopIteration as done:
        return done.value
