"""The language server's first moments, before pygls and lsprotocol are loaded.

Importing them builds about a thousand attrs classes: 0.7 s, more than everything else the
first diagnostics need (start-up, the rules, the analysis) together. Until they are loaded,
this loop answers `initialize`, keeps `initialized`, opens, edits and analyses text documents
and pushes their diagnostics itself (or answers the client's pulls), as plain JSON. pygls
loads in a background thread once the first document is analysed (or the client pauses
before opening one); a message this loop does not take (any other request or notification, a
notebook, anything malformed or unusual) waits for it. Then the full server (server.py:
`take_over`) adopts the session, the open documents, their analyzers and last analyses, and
handles that message and every later one. `shutdown` and `exit` before that end the process
at once.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from pygls.uris import to_fs_path

from .. import __version__
from ..documentation import rule_url
from ..engine import AnalysisResult, DocumentAnalyzer
from ..parse.cancel import AnalysisCancelled, Cancellation
from ..parse.chunks import split_lines
from ..parse.source import SourceText
from ..rules.findings import Severity
from .scope import holding_folder, in_project, is_excluded
from .settings import ConfigStore
from .framing import MAX_VERSION, Incoming
from .uris import normalise

log = logging.getLogger("mlreview.lsp")

IDLE_SECONDS = 0.3  # no document opened yet and the client paused this long: load the full server
STEP_PATIENCE = 0.5  # seconds a loading step waits for a message being handled
YIELD_PATIENCE = 0.2  # seconds the loader waits inside a step (then it stops waiting)
ENCODINGS = ("utf-8", "utf-16", "utf-32")  # what pygls supports, in the order it prefers the client's choice
SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFORMATION: 3, Severity.HINT: 4}
SOURCE, SYNTAX_ERROR = "mlreview", "syntax-error"  # as convert.py


@dataclass(eq=False)
class EarlyDocument:
    uri: str  # as the client spells it
    language_id: str
    version: int
    text: str
    path: str | None
    root: str | None
    analyzer: DocumentAnalyzer
    result: AnalysisResult | None = None
    analyses: int = 0  # as Unit.analyses
    diagnostics: list[dict] = field(default_factory=list)  # of `result`, as published (or pulled)
    stale: bool = False  # its latest version's analysis was cancelled (a message came meanwhile)


@dataclass
class EarlySession:
    """What the full server takes over: the raw handshake messages and the open documents."""

    initialize: dict | None = None
    initialized: dict | None = None
    shutdown: bool = False
    documents: dict[str, EarlyDocument] = field(default_factory=dict)  # by normalised URI
    replayed: bool = False  # pygls has seen `initialize` (server.prepare)


class EarlyLoop:
    def __init__(self, incoming: Incoming, output: BinaryIO):
        self.incoming = incoming
        self.output = output
        self.session = EarlySession()
        self.config = ConfigStore()
        self.encoding = "utf-16"
        self.pulls = False  # the client pulls diagnostics (textDocument/diagnostic) instead of having them pushed
        self.folders: list[str] = []
        self.loader: threading.Thread | None = None
        self.idle = threading.Event()  # set while no message is being handled: the loader may run
        self.idle.set()
        # A message that supersedes the analysis in progress (a newer version of its document,
        # anything for the full server, the exit) cancels it, as in the document store.
        self.analysing: EarlyDocument | None = None
        self.cancellation = Cancellation()
        incoming.arrived = self.interrupt

    def run(self) -> bytes | None:
        """Take messages until the full server is needed or loaded; returns the message it
        must handle first (None: none). At the end of input the process exits, as the server's."""
        while True:
            loading = self.loader is not None
            if loading and not self.loader.is_alive():
                return None
            self.idle.clear()
            try:
                caught_up = self.catch_up()
            finally:
                self.idle.set()
            if not caught_up:
                return None
            try:
                body = self.incoming.get(timeout=0.02 if loading else IDLE_SECONDS)
            except queue.Empty:
                if not loading and self.session.initialize is not None:
                    self.load_in_background()
                continue
            if body is None:  # the client closed stdin: exit at once, as the full server does
                self.exit(0)
            self.idle.clear()
            try:
                if not self.handle(body):
                    return body
            finally:
                self.idle.set()
            if not loading and self.session.documents:  # the first diagnostics are out
                self.load_in_background()

    def catch_up(self) -> bool:
        """Analyse the documents whose analysis a message cancelled, unless more messages wait;
        False if one needs the full server."""
        for document in [d for d in self.session.documents.values() if d.stale]:
            if self.incoming.waiting():
                break
            if not self.analyse(document):
                return False
        return True

    def load_in_background(self) -> None:
        self.loader = threading.Thread(target=self.load, name="mlreview-load", daemon=True)
        self.loader.start()

    def load(self) -> None:
        """Load the full server, a step at a time while this loop is idle: importing holds the
        interpreter lock for long stretches (unmarshalling, compiling), and a keystroke handled
        meanwhile takes 2-4x longer. lsprotocol's types are one step of ~0.7 s: inside a step,
        the loader waits at its next call while a message is handled (a profile hook, in this
        thread only)."""
        from .. import lsp

        sys.setprofile(self.wait_while_busy)
        try:
            lsp.load_server(self.session, between=lambda: self.idle.wait(STEP_PATIENCE))
        finally:
            sys.setprofile(None)

    def wait_while_busy(self, frame, event: str, arg) -> None:
        """Never inside the import machinery, which holds the interpreter's import lock; and a
        message still busy after YIELD_PATIENCE may wait on a module this import holds: from
        then on the loader goes on without waiting."""
        if self.idle.is_set() or frame.f_code.co_filename.startswith("<frozen"):
            return
        if not self.idle.wait(YIELD_PATIENCE):
            sys.setprofile(None)

    # ----- messages ---------------------------------------------------------------------

    def handle(self, body: bytes) -> bool:
        """Handle one message; False if the full server must (nothing was changed then)."""
        try:
            message = json.loads(body)
        except ValueError:
            return False
        if not isinstance(message, dict):
            return False
        method, params = message.get("method"), message.get("params")
        if not isinstance(params, dict) and method not in ("shutdown", "exit"):
            return False
        initialized = self.session.initialize is not None
        try:
            if method == "initialize" and not initialized and "id" in message:
                return self.initialize(message, params)
            if method == "exit" and initialized and "id" not in message:
                self.exit(0 if self.session.shutdown else 1)
            if method == "shutdown" and initialized and "id" in message and not self.session.shutdown:
                self.session.shutdown = True
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                return True
            if method == "textDocument/diagnostic" and self.pulls and "id" in message and not self.session.shutdown:
                return self.pull(message["id"], params)
            if "id" in message or not initialized or self.session.shutdown:
                return False
            if method == "initialized" and self.session.initialized is None:
                self.session.initialized = message
                return True
            if method == "textDocument/didOpen":
                return self.did_open(params)
            if method == "textDocument/didChange":
                return self.did_change(params)
        except Exception:  # the full server handles it again, and reports what fails
            log.exception("the early loop could not handle %s", method)
        return False

    def initialize(self, message: dict, params: dict) -> bool:
        capabilities = params.get("capabilities")
        options = params.get("initializationOptions")
        if not isinstance(capabilities, dict) or not plain_session(params):
            return False
        self.config.set_editor(options)
        if self.config.editor_errors:
            return False  # the full server shows the warning
        self.encoding = position_encoding(capabilities)
        self.pulls = pulls_diagnostics(capabilities)
        self.folders = workspace_folders(params)
        self.session.initialize = message
        self.send({"jsonrpc": "2.0", "id": message["id"], "result": initialize_result(capabilities, self.encoding)})
        return True

    def did_open(self, params: dict) -> bool:
        item = params.get("textDocument")
        if not (isinstance(item, dict) and isinstance(item.get("uri"), str) and isinstance(item.get("text"), str)
                and isinstance(item.get("languageId"), str) and valid_version(item.get("version"))):
            return False
        uri, key = item["uri"], normalise(item["uri"])
        if key in self.session.documents:
            return False
        path = to_fs_path(uri) if uri.startswith("file:") else None
        document = EarlyDocument(uri, item["languageId"], item["version"], item["text"], path,
                                 holding_folder(path, self.folders), DocumentAnalyzer(path))
        if not self.analyse(document):
            return False
        self.session.documents[key] = document
        return True

    def interrupt(self, body: bytes | None) -> None:
        """A message came (in the reading thread): cancel the analysis it supersedes."""
        document = self.analysing
        if document is not None and supersedes(body, document):
            self.cancellation.cancel()

    def pull(self, request_id: Any, params: dict) -> bool:
        """A client that pulls asks for a document's diagnostics (the full server adds nothing
        yet: its project findings come once it has reviewed the project)."""
        identifier = params.get("textDocument")
        uri = identifier.get("uri") if isinstance(identifier, dict) else None
        document = self.session.documents.get(normalise(uri)) if isinstance(uri, str) else None
        if document is None or (document.stale and not self.analyse(document)):
            return False
        self.send({"jsonrpc": "2.0", "id": request_id, "result": {"kind": "full", "items": document.diagnostics}})
        return True

    def exit(self, code: int) -> None:
        """`exit`, or the end of input, before the full server was needed: nothing to wait for."""
        try:
            self.output.flush()
        except (OSError, ValueError):
            pass
        os._exit(code)

    def did_change(self, params: dict) -> bool:
        identifier, changes = params.get("textDocument"), params.get("contentChanges")
        if not isinstance(identifier, dict) or not isinstance(changes, list) or not isinstance(identifier.get("uri"), str):
            return False
        document = self.session.documents.get(normalise(identifier["uri"]))
        version = identifier.get("version")
        if document is None or not valid_version(version):
            return False
        text = document.text
        for change in changes:
            text = apply_change(text, change, self.encoding)
            if text is None:
                return False
        before = document.text, document.version
        document.text, document.version = text, version
        if not self.analyse(document):
            document.text, document.version = before
            return False
        return True

    def analyse(self, document: EarlyDocument) -> bool:
        """Analyse and publish (unless the client pulls), as the document store would; False if the
        settings need the full server."""
        settings, problems = self.config.settings_for(document.path)
        if problems:
            return False  # the full server shows them
        result = None
        if settings.enable and not is_excluded(document, settings):
            self.cancellation, self.analysing = Cancellation(), document
            try:
                if any(supersedes(body, document) for body in self.incoming.waiting()):
                    document.stale = True  # a burst of edits: the latest version is analysed
                    return True
                document.analyses += 1
                result = document.analyzer.analyse(SourceText(document.text), settings, cancellation=self.cancellation,
                                                   in_project=in_project(document, settings))
            except AnalysisCancelled:
                document.stale = True
                return True
            finally:
                self.analysing = None
        document.stale = False
        lines = result.model.lines if result is not None else split_lines(document.text)
        diagnostics = result_diagnostics(result, lines, self.encoding, settings.docs_base_url, document.uri) \
            if result is not None else []
        if document.result is not None:  # as documents.retire: the old model goes by reference counting
            document.result.model.built_facts = {}
        document.result = result
        document.diagnostics = diagnostics
        for error in result.rule_errors if result is not None else []:
            self.send({"jsonrpc": "2.0", "method": "window/logMessage",
                       "params": {"type": 1, "message": f"{normalise(document.uri)}: {error}"}})
        if not self.pulls:
            self.send({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                       "params": {"uri": document.uri, "diagnostics": diagnostics, "version": document.version}})
        return True

    def send(self, message: dict) -> None:
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        self.output.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.output.flush()


# ----- the handshake, as pygls answers it (tests/lsp/test_early.py compares) ------------------


def supersedes(body: bytes | None, document: EarlyDocument) -> bool:
    """Does this message make the analysis of `document` useless? Judged on the raw bytes
    (in the reading thread): opening or editing another document, `initialized` or a pull does not;
    the end of input, an edit of this one (its URI as the client spells it) or any other message
    (the full server's: it will analyse the document again) does."""
    if body is None:
        return True
    if any(method in body for method in (b'"textDocument/didOpen"', b'"initialized"', b'"textDocument/diagnostic"')):
        return False  # a pull waits for the analysis
    if b'"textDocument/didChange"' in body:
        return json.dumps(document.uri).encode() in body
    return True


def pulls_diagnostics(capabilities: dict) -> bool:
    text = capabilities.get("textDocument")
    return isinstance(text, dict) and text.get("diagnostic") is not None


def plain_session(params: dict) -> bool:
    """Only shapes this loop reads for sure; anything else goes to pygls, which validates."""
    folders = params.get("workspaceFolders")
    return (params.get("processId") is None or type(params.get("processId")) is int) \
        and all(params.get(key) is None or isinstance(params.get(key), str) for key in ("rootUri", "rootPath")) \
        and (folders is None or (isinstance(folders, list) and all(
            isinstance(f, dict) and isinstance(f.get("uri"), str) and isinstance(f.get("name"), str) for f in folders)))


def position_encoding(capabilities: dict) -> str:
    general = capabilities.get("general")
    offered = general.get("positionEncodings") if isinstance(general, dict) else None
    for encoding in offered if isinstance(offered, list) else ():
        if encoding in ENCODINGS:
            return encoding
    return "utf-16"


def workspace_folders(params: dict) -> list[str]:
    """As DocumentStore.root_for reads pygls's workspace: the folders, else the root."""
    uris = [folder["uri"] for folder in params.get("workspaceFolders") or []]
    if not uris:
        root = params.get("rootUri")
        if root is None:
            return [params["rootPath"]] if params.get("rootPath") else []
        uris = [root]
    return [to_fs_path(uri) for uri in uris]


def initialize_result(capabilities: dict, encoding: str) -> dict:
    sync: dict[str, Any] = {"openClose": True, "change": 2, "save": False}
    client_sync = (capabilities.get("textDocument") or {}).get("synchronization")
    for key in ("willSave", "willSaveWaitUntil"):  # pygls: the client's value `and` whether we handle it
        if isinstance(client_sync, dict) and client_sync.get(key) is not None:
            sync[key] = False
    server = {
        "positionEncoding": encoding,
        "textDocumentSync": sync,
        "hoverProvider": True,
        "codeActionProvider": {"codeActionKinds": ["quickfix", "source.fixAll.mlreview"], "resolveProvider": True},
        "executeCommandProvider": {"commands": ["mlreview.fixAll", "mlreview.showRule", "mlreview.showReport"]},
        "diagnosticProvider": {"interFileDependencies": False, "workspaceDiagnostics": False},
        "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True}, "fileOperations": {}},
    }
    if capabilities.get("notebookDocument") is not None:
        server["notebookDocumentSync"] = {"notebookSelector": [{"notebook": "jupyter-notebook"}]}
    return {"capabilities": server, "serverInfo": {"name": "mlreview", "version": __version__}}


def valid_version(version: Any) -> bool:
    return type(version) is int and 0 <= version <= MAX_VERSION


# ----- text and positions ---------------------------------------------------------------------


def units(text: str, encoding: str) -> int:
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text.encode("utf-8")) if encoding == "utf-8" else len(text)


def column_of(line: str, character: int, encoding: str) -> int | None:
    """A client column -> code points; None past the end of the line (pygls decides that case)."""
    content = line.rstrip("\r\n")
    if content.isascii():
        return character if 0 <= character <= len(content) else None
    counted = 0
    for index, char in enumerate(content):
        if counted == character:
            return index
        counted += units(char, encoding)
    return len(content) if counted == character else None


def apply_change(text: str, change: Any, encoding: str) -> str | None:
    """The text after one contentChange; None when pygls should judge it (odd positions)."""
    if not isinstance(change, dict) or not isinstance(change.get("text"), str):
        return None
    if "range" not in change:
        return change["text"]
    try:
        start, end = change["range"]["start"], change["range"]["end"]
        start_line, start_char, end_line, end_char = start["line"], start["character"], end["line"], end["character"]
    except (TypeError, KeyError):
        return None
    lines = text.splitlines(keepends=True)
    if not all(type(n) is int for n in (start_line, start_char, end_line, end_char)) \
            or not (start_line, start_char) <= (end_line, end_char) or end_line >= len(lines):
        return None
    start_col = column_of(lines[start_line], start_char, encoding)
    end_col = column_of(lines[end_line], end_char, encoding)
    if start_col is None or end_col is None:
        return None
    head = "".join(lines[:start_line]) + lines[start_line][:start_col]
    return head + change["text"] + lines[end_line][end_col:] + "".join(lines[end_line + 1:])


def client_column(lines: list[str], line: int, col: int, encoding: str) -> int:
    """As convert.client_column: code points on 0-based `line` -> client units."""
    if line >= len(lines):
        return col
    text = lines[line]
    if col <= 0 or text.isascii():
        return max(col, 0)
    return units(text[:col], encoding)


def span_range(lines: list[str], span, encoding: str) -> dict:
    start, end = span.line - 1, span.end_line - 1
    return {"start": {"line": start, "character": client_column(lines, start, span.col, encoding)},
            "end": {"line": end, "character": client_column(lines, end, span.end_col, encoding)}}


def result_diagnostics(result: AnalysisResult, lines: list[str], encoding: str, docs_base: str | None,
                       uri: str) -> list[dict]:
    """convert.result_diagnostics for a file, as JSON (tests/lsp/test_early.py compares)."""
    out = []
    for finding in result.findings:
        rule = finding.rule
        diagnostic = {"range": span_range(lines, finding.span, encoding), "message": finding.message,
                      "severity": SEVERITY[finding.severity or rule.severity], "code": rule.code,
                      "codeDescription": {"href": rule_url(rule, docs_base)}, "source": SOURCE}
        if finding.fixable:
            s = finding.span
            diagnostic["data"] = {"code": finding.code, "span": [s.line, s.col, s.end_line, s.end_col]}
        related = [{"location": {"uri": uri, "range": span_range(lines, r.span, encoding)}, "message": r.message}
                   for r in finding.related]
        if related:
            diagnostic["relatedInformation"] = related
        out.append(diagnostic)
    for problem in result.problems:
        index = problem.line - 1
        text = lines[index].rstrip("\r\n") if index < len(lines) else ""
        col = min(problem.col, len(text))
        end = min(col + 1, len(text)) if col < len(text) else len(text)
        out.append({"range": {"start": {"line": index, "character": client_column(lines, index, col, encoding)},
                              "end": {"line": index, "character": client_column(lines, index, end, encoding)}},
                    "message": f"SyntaxError: {problem.message}", "severity": 1, "code": SYNTAX_ERROR,
                    "source": SOURCE})
    return out


def serve_stdio() -> None:
    """`mlreview server` over stdio: the early loop, then the full server."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="mlreview: %(levelname)s %(message)s")
    incoming = Incoming(sys.stdin.buffer)
    early = EarlyLoop(incoming, sys.stdout.buffer)
    first = early.run()
    from .server import serve_after

    serve_after(early.session, incoming, first)
