"""Replays of what a real VS Code sends, against the real server over stdio.

Each session in fixtures/ is the message stream of VS Code 1.9x with
vscode-languageclient (capabilities in vscode_initialize.json): percent-encoded
`file:` and `vscode-notebook-cell:` URIs, every cell of a notebook synced, one
didChange per keystroke, pull diagnostics per cell. Notifications are written to
the server's stdin byte for byte as VS Code frames them; requests go through the
client library (it owns the ids), their params read from the fixture.

Every session runs as VS Code does (pull) and as a push client would. Each answer
is checked twice: against the session's expectations (codes per document, the
edited URIs of a quick fix) and against `mlreview check` on the same text (the
same places, cell numbers and columns, converted to UTF-16).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlreview.diagnostics import REGISTRY
import pytest_lsp
from lsprotocol import types
from lsprotocol.types import METHOD_TO_TYPES
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient

from .mirror import Mirror, apply_change, utf16_column

FIXTURES = Path(__file__).parent / "fixtures"
INITIALIZE = "vscode_initialize.json"
SESSIONS = sorted(p.name for p in FIXTURES.glob("*.json") if p.name != INITIALIZE)
CONVERTER = default_converter()  # JSON <-> lsprotocol types, as the client library converts them


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "mlreview", "server"]),
                    params=["pull", "push"])
async def client(request, lsp_client: LanguageClient):
    lsp_client.mode = request.param
    lsp_client.published = {}  # uri -> the latest diagnostics pushed
    lsp_client.publish_log = []

    def publish(params: types.PublishDiagnosticsParams):
        lsp_client.published[params.uri] = params.diagnostics
        lsp_client.publish_log.append(params)

    lsp_client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):  # VS Code accepts the config-file watchers
        return None

    yield
    await lsp_client.shutdown_session()


async def initialize(client: LanguageClient, session: dict) -> None:
    raw = load(INITIALIZE)
    raw["workspaceFolders"] = session["workspaceFolders"]
    raw["rootUri"] = session["workspaceFolders"][0]["uri"]
    if client.mode == "push":  # a client without pull diagnostics: the server publishes
        del raw["capabilities"]["textDocument"]["diagnostic"], raw["capabilities"]["workspace"]["diagnostics"]
    params = CONVERTER.structure(raw, types.InitializeParams)
    await client.initialize_session(params)


def send_as_vscode(client: LanguageClient, message: dict) -> None:
    """Frame and write a notification exactly as VS Code does (UTF-8 body, length in bytes)."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


class Cli:
    """`mlreview check` on a copy of what the editor holds."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.found: dict[tuple[str, str], list[dict]] = {}  # (name, content) -> findings

    def run(self, name: str, content: str, *args: str) -> subprocess.CompletedProcess:
        (self.folder / name).write_text(content, encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "mlreview", "check", "--no-cache", "--exit-zero", *args, name],
                              cwd=self.folder, capture_output=True, text=True, timeout=120)

    def findings(self, name: str, content: str) -> list[dict]:
        if (name, content) not in self.found:
            result = self.run(name, content, "--output-format", "json")
            assert result.returncode == 0, result.stderr
            self.found[name, content] = json.loads(result.stdout)
        return self.found[name, content]

    def fixed(self, name: str, content: str, code: str) -> str:
        result = self.run(name, content, "--fix", "--select", code)
        assert result.returncode == 0, result.stderr
        return (self.folder / name).read_text(encoding="utf-8")


Place = tuple[str, tuple[int, int, int, int], str]  # code, LSP range, message


def cli_places(cli: Cli, mirror: Mirror, uri: str) -> list[Place]:
    """What the CLI finds in the document or cell `uri`, as LSP would place it (messages name
    other cells by their number among all cells, in both)."""
    owner = mirror.notebook_of(uri)
    if owner is None:
        findings = cli.findings("replayed.py", mirror.texts[uri])
    else:
        findings = [f for f in cli.findings("replayed.ipynb", mirror.ipynb(owner[0])) if f["cell"] == owner[1]]
    lines = mirror.texts[uri].split("\n")

    def position(location: dict) -> tuple[int, int]:
        row, column = location["row"] - 1, location["column"] - 1
        return row, utf16_column(lines[row], column) if row < len(lines) else column

    return sorted((f["code"], position(f["location"]) + position(f["end_location"]), f["message"])
                  for f in findings)


def project_scoped(code) -> bool:
    rule = REGISTRY.get(str(code))
    return rule is not None and rule.scope == "project"


def lsp_places(diagnostics) -> list[Place]:
    return sorted((d.code, (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
                   d.message) for d in diagnostics if d.code != "syntax-error")


class Replay:
    def __init__(self, client: LanguageClient, session: dict, cli: Cli):
        self.client, self.session, self.cli = client, session, cli
        self.mirror = Mirror()
        self.answers: dict[str, object] = {}
        self.shown: dict[str, list[types.Diagnostic]] = {}

    async def run(self) -> None:
        for message in self.session["messages"]:
            if "id" not in message:
                self.mirror.apply(message)
                send_as_vscode(self.client, message)
            elif message["method"] == types.TEXT_DOCUMENT_DIAGNOSTIC:
                await self.diagnostics(message)
            else:
                await self.request(message)

    # ----- diagnostics -----------------------------------------------------------------

    async def diagnostics(self, message: dict) -> None:
        uri = message["params"]["textDocument"]["uri"]
        expect = self.session["expect"][str(message["id"])]
        items = await self.shown_diagnostics(message["params"])
        self.shown[uri] = items
        # Line rules only: PROJECT-scope findings depend on the files around the document
        # (tests/test_project.py and tests/lsp/test_project.py cover them).
        line_items = [d for d in items if not project_scoped(d.code)]
        codes = sorted(d.code for d in line_items)
        assert codes == sorted(c for c in expect["codes"] if not project_scoped(c)), f"{uri}: {codes}"
        if uri in self.mirror.texts:  # still open: the CLI finds the same on the same text
            expected = [p for p in cli_places(self.cli, self.mirror, uri) if not project_scoped(p[0])]
            assert lsp_places(line_items) == expected, uri
        for code, places in expect.get("related", {}).items():  # [uri, line, character] of each
            [diag] = [d for d in items if d.code == code]
            assert [[r.location.uri, r.location.range.start.line, r.location.range.start.character]
                    for r in diag.related_information or []] == places

    async def shown_diagnostics(self, raw_params: dict) -> list[types.Diagnostic]:
        """What the editor shows: the pulled report, or (push) the latest publish once the
        server has analysed every open document (a pull of each waits for that)."""
        params = self.structure(types.TEXT_DOCUMENT_DIAGNOSTIC, raw_params)
        if self.client.mode == "pull":
            report = await asyncio.wait_for(self.client.text_document_diagnostic_async(params), 30)
            return list(report.items)
        for uri in self.open_documents():
            await asyncio.wait_for(self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri))), 30)
        return list(self.client.published.get(params.text_document.uri, []))

    def open_documents(self) -> list[str]:
        cells = {cell["document"] for notebook in self.mirror.notebooks.values() for cell in notebook.cells}
        firsts = [notebook.cells[0]["document"] for notebook in self.mirror.notebooks.values() if notebook.cells]
        return [uri for uri in self.mirror.texts if uri not in cells] + firsts

    # ----- other requests ------------------------------------------------------------------

    def structure(self, method: str, raw: dict):
        return CONVERTER.structure(raw, METHOD_TO_TYPES[method][2])

    async def request(self, message: dict) -> None:
        method, raw, key = message["method"], message["params"], str(message["id"])
        if method == types.TEXT_DOCUMENT_CODE_ACTION:
            raw = dict(raw, context=dict(raw["context"], diagnostics=self.unstructure(
                self.shown[raw["context"]["diagnostics"]["$diagnostics_of"]])))
            params = self.structure(method, raw)
        elif method == types.CODE_ACTION_RESOLVE:
            params = self.fix_action(self.answers[str(raw["$action_from"])], raw["fix_of"])
        else:
            params = self.structure(method, raw)
        answer = await asyncio.wait_for(self.client.protocol.send_request_async(method, params), 30)
        self.answers[key] = answer
        check = {types.TEXT_DOCUMENT_CODE_ACTION: self.check_actions, types.CODE_ACTION_RESOLVE: self.check_fix,
                 types.TEXT_DOCUMENT_HOVER: self.check_hover}
        check[method](answer, self.session["expect"][key])

    def unstructure(self, value):
        return CONVERTER.unstructure(value)

    @staticmethod
    def fix_action(actions: list[types.CodeAction], code: str) -> types.CodeAction:
        [action] = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.data is not None
                    and a.diagnostics and a.diagnostics[0].code == code]
        return action

    def check_actions(self, actions: list[types.CodeAction], expect: dict) -> None:
        titles = [a.title for a in actions]
        assert set(expect["titles_include"]) <= set(titles), titles
        self.fix_action(actions, expect["fix_of"])

    def check_fix(self, action: types.CodeAction, expect: dict) -> None:
        """The quick fix edits exactly the expected documents (URIs as VS Code spelled them)
        and leaves the notebook as `mlreview check --fix` does."""
        assert action.edit is not None and sorted(action.edit.changes) == sorted(expect["edits_only"])
        edited = Mirror(dict(self.mirror.texts), dict(self.mirror.languages), self.mirror.notebooks)
        for uri, edits in action.edit.changes.items():
            for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
                edited.texts[uri] = apply_change(edited.texts[uri], self.unstructure(edit) | {"text": edit.new_text})
        uri, code = expect["edits_only"][0], expect["equals_cli_fix"]
        assert edited.texts[uri] != self.mirror.texts[uri]
        owner = self.mirror.notebook_of(uri)
        if owner is None:
            assert edited.texts[uri] == self.cli.fixed("replayed.py", self.mirror.texts[uri], code)
            return
        fixed = self.cli.fixed("replayed.ipynb", self.mirror.ipynb(owner[0]), code)

        def code_cells(ipynb: str) -> list[str]:
            return ["".join(c["source"]) for c in json.loads(ipynb)["cells"] if c["cell_type"] == "code"]
        assert code_cells(edited.ipynb(owner[0])) == code_cells(fixed)

    @staticmethod
    def check_hover(hover: types.Hover | None, expect: dict) -> None:
        """The rule explained once; the finding's message is the editor's to show, not repeated."""
        assert hover is not None
        text = hover.contents.value
        assert all(part in text for part in expect["contains"]), text
        assert not any(part in text for part in expect["lacks"]), text


@pytest.mark.parametrize("name", SESSIONS)
async def test_replayed_vscode_session(client: LanguageClient, name: str, tmp_path: Path):
    session = load(name)
    await initialize(client, session)
    await Replay(client, session, Cli(tmp_path)).run()
    sent = json.dumps(session["messages"], ensure_ascii=False)
    pushed = [p.uri for p in client.publish_log if p.diagnostics]
    assert bool(pushed) == (client.mode == "push")  # a pull client only sees closed documents cleared
    assert [p.uri for p in client.publish_log if f'"{p.uri}"' not in sent] == []  # as VS Code spells them
    shown = [m for m in client.messages if m.type in (types.MessageType.Error, types.MessageType.Warning)]
    logged = [m for m in client.log_messages if m.type == types.MessageType.Error]
    assert shown == [] and logged == []
