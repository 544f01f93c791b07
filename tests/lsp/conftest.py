"""pytest-lsp fixtures: the real server over stdio, driven with real editors' capabilities.

Every test runs twice: with VS Code's capability set (push diagnostics, utf-16,
code-action resolve) and Neovim's (pull diagnostics, utf-8). `get_diagnostics`
hides the push/pull difference, so each test states what the user sees.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

CLIENTS = ["visual-studio-code", "neovim"]
SERVER_COMMAND = [sys.executable, "-m", "mlreview", "server"]


def pytest_configure(config):
    config.addinivalue_line("markers", "init_options(dict): initializationOptions for the server")


def server_command() -> list[str]:
    """`mlreview server` once the CLI provides it; the entry point directly until then."""
    try:
        from mlreview.cli import main  # noqa: F401
        return SERVER_COMMAND
    except ImportError:
        return [sys.executable, "-c", "from mlreview.lsp import run_server; run_server()"]


def capabilities(name: str) -> types.ClientCapabilities:
    if name == "without-resolve":  # an older editor: code actions must come with their edits
        caps = pytest_lsp.client_capabilities("visual-studio-code")
        caps.text_document.code_action.resolve_support = None
        caps.text_document.code_action.data_support = None
    else:
        caps = pytest_lsp.client_capabilities(name)
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities(execution_summary_support=False))
    return caps


def install_client_handlers(client: LanguageClient) -> None:
    """What a real editor answers: applyEdit (recorded) and registerCapability."""
    client.applied_edits = []
    client.registrations = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams):
        client.applied_edits.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)
        return None


async def start(lsp_client: LanguageClient, name: str, root: Path, options: dict | None) -> None:
    install_client_handlers(lsp_client)
    track_versions(lsp_client)
    lsp_client.client_name = name
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities(name),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options if options is not None else {"debounce": 0},
    ))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=server_command()), params=CLIENTS)
async def client(request, lsp_client: LanguageClient, tmp_path: Path):
    marker = request.node.get_closest_marker("init_options")
    await start(lsp_client, request.param, tmp_path, marker.args[0] if marker else None)
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=server_command()), params=["without-resolve"])
async def eager_client(request, lsp_client: LanguageClient, tmp_path: Path):
    await start(lsp_client, request.param, tmp_path, None)
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


# ----- helpers the tests share ----------------------------------------------------------


def pulls(client: LanguageClient) -> bool:
    text = client.capabilities.text_document
    return text is not None and text.diagnostic is not None


async def wait_for_publish(client: LanguageClient, uri: str, version: int | None, timeout: float = 10) -> list:
    """Wait until the diagnostics published for `uri` carry `version`."""
    async def arrived():
        while True:
            published = client.versions.get(uri) if hasattr(client, "versions") else None
            if uri in client.diagnostics and (version is None or published == version):
                return list(client.diagnostics[uri])
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return await asyncio.wait_for(arrived(), timeout)


async def get_diagnostics(client: LanguageClient, uri: str, version: int | None = None) -> list[types.Diagnostic]:
    """What the editor shows for `uri` at `version`: pulled or pushed, as the client does."""
    if pulls(client):
        report = await asyncio.wait_for(client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))), 10)
        return list(report.items)
    return await wait_for_publish(client, uri, version)


async def diagnostics_when(client: LanguageClient, uri: str, wanted, timeout: float = 30) -> list[types.Diagnostic]:
    """What the editor shows for `uri` once `wanted(diagnostics)` holds: for what the server
    refines later (cross-file facts, the background project review, installed versions)."""
    async def poll():
        while True:
            shown = await get_diagnostics(client, uri) if pulls(client) else list(client.diagnostics.get(uri, []))
            if wanted(shown):
                return shown
            await asyncio.sleep(0.05)
    return await asyncio.wait_for(poll(), timeout)


def track_versions(client: LanguageClient) -> None:
    """Record the version of each publish (pytest-lsp keeps only the diagnostics)."""
    client.versions = {}
    client.publish_log = []

    def publish(params: types.PublishDiagnosticsParams):
        client.versions[params.uri] = params.version
        client.publish_log.append(params)
        client.diagnostics[params.uri] = params.diagnostics

    # pytest-lsp already handles publishDiagnostics (keeping only the list): replace it.
    client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish


class Doc:
    """A document open in the test editor, edited like an editor edits."""

    def __init__(self, client: LanguageClient, name: str, text: str):
        self.client = client
        self.path = client.root / name
        self.path.write_text(text, encoding="utf-8")
        self.uri = self.path.as_uri()
        self.version = 1
        self.text = text
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=self.uri, language_id="python", version=1, text=text)))

    def change(self, start: tuple[int, int], end: tuple[int, int], new_text: str) -> None:
        """Incremental change; positions in the client's units (ASCII tests: characters)."""
        self.version += 1
        range_ = types.Range(start=types.Position(line=start[0], character=start[1]),
                             end=types.Position(line=end[0], character=end[1]))
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[types.TextDocumentContentChangePartial(range=range_, text=new_text)]))

    def replace_all(self, text: str) -> None:
        self.version += 1
        self.text = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def diagnostics(self) -> list[types.Diagnostic]:
        return await get_diagnostics(self.client, self.uri, self.version)

    def close(self) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri)))


async def fresh_diagnostics(client: LanguageClient, uri: str, since: int) -> list[types.Diagnostic]:
    """Diagnostics computed after something other than the text changed (configuration)."""
    if pulls(client):
        return await get_diagnostics(client, uri)

    async def arrived():
        while not any(p.uri == uri for p in client.publish_log[since:]):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])
    return await asyncio.wait_for(arrived(), 10)


def apply_text_edits(text: str, edits) -> str:
    """Apply LSP text edits (ASCII text: characters are code units)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        return starts[position.line] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text
