"""The early loop (mlreview/lsp/early.py) answers as the full server would: the same
initialize result as pygls builds, the same diagnostics as convert.py, the same text after
an edit as pygls's documents; and the full server takes over its documents and edits."""

from __future__ import annotations

import io
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.workspace.position_codec import PositionCodec
from pygls.workspace.text_document import TextDocument

from mlreview.engine import DocumentAnalyzer
from mlreview.lsp import convert, early
from mlreview.lsp.framing import Incoming
from mlreview.lsp.server import SERVER, initialize_silently
from mlreview.lsp.snapshot import Snapshot
from mlreview.parse.chunks import split_lines
from mlreview.parse.source import SourceText
from mlreview.rules.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reliability"))
from lsp_wire import Wire  # noqa: E402

CONVERTER = get_converter()
ENCODINGS = ["utf-8", "utf-16", "utf-32"]


def client_capabilities() -> list[dict]:
    editors = [CONVERTER.unstructure(pytest_lsp.client_capabilities(name))
               for name in ("visual-studio-code", "neovim", "emacs")]
    bench = {"general": {"positionEncodings": ["utf-16"]},
             "textDocument": {"synchronization": {"dynamicRegistration": False, "didSave": False},
                              "publishDiagnostics": {"versionSupport": True}}}
    notebooks = {"notebookDocument": {"synchronization": {"executionSummarySupport": False}},
                 "general": {"positionEncodings": ["utf-32", "utf-8"]}}
    return [*editors, bench, notebooks, {}, {"general": {"positionEncodings": ["latin-1"]}}]


@pytest.mark.parametrize("capabilities", client_capabilities())
def test_initialize_result_is_what_pygls_answers(capabilities):
    message = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": None, "rootUri": None, "capabilities": capabilities}}
    expected = CONVERTER.unstructure(initialize_silently(SERVER, message))
    assert early.initialize_result(capabilities, early.position_encoding(capabilities)) == expected


SOURCES = [
    "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
    "scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)\n"
    "X_train, X_test, y_train, y_test = train_test_split(X_scaled, y)\n",
    "# données: ünïcode 😀 before the findings\nimport torch\nfrom sklearn.model_selection import train_test_split\n"
    "a = '😀'; b, c = train_test_split(a)  # 😀\nmodel = torch.load('m.pt')\n",
    "import numpy as np\ndef broken(:\n    x = np.random.rand(3)\n",
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("source", SOURCES)
def test_diagnostics_are_what_the_full_server_publishes(source, encoding):
    uri = "file:///tmp/early/train.py"
    result = DocumentAnalyzer("/tmp/early/train.py").analyse(SourceText(source), Settings())
    assert result.findings or result.problems
    lines = split_lines(source)
    snapshot = Snapshot(uri, SourceText(source), lines, {uri: 1}, {uri: uri})
    diagnostics, _ = convert.result_diagnostics(snapshot, result, PositionCodec(encoding), None)
    expected = CONVERTER.unstructure(diagnostics[uri])
    assert early.result_diagnostics(result, lines, encoding, None, uri) == expected


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_edits_give_the_text_pygls_gives(encoding):
    rng = random.Random(7)
    text = "import numpy as np\nnom = 'crème brûlée 😀'\r\nx = np.zeros(3)\n\nprint(nom, x)  # ✓\n"
    taken = 0
    for _ in range(300):
        lines = text.splitlines(keepends=True)
        start_line = rng.randrange(len(lines))
        end_line = min(len(lines) - 1, start_line + rng.choice([0, 0, 1, 2]))
        start = {"line": start_line, "character": rng.randrange(0, len(lines[start_line]))}
        end = {"line": end_line, "character": rng.randrange(0, len(lines[end_line]))}
        if (end["line"], end["character"]) < (start["line"], start["character"]):
            start, end = end, start
        change = {"range": {"start": start, "end": end}, "text": rng.choice(["", "a", "é", "😀", "\n", "x\ny"])}
        ours = early.apply_change(text, change, encoding)
        if ours is None:  # a position past a line's end: left to pygls
            continue
        document = TextDocument("file:///t.py", text, position_codec=PositionCodec(encoding))
        document.apply_change(CONVERTER.structure(change, types.TextDocumentContentChangePartial))
        assert ours == document.source, change
        text, taken = ours, taken + 1
    assert taken > 90  # the early loop takes ordinary edits (not mid-character positions)


def test_the_full_server_takes_over_the_early_documents(tmp_path):
    """Edits the early loop applied are the server's text once pygls has loaded, and its last
    analysis is the one a request it left (a hover) reads."""
    wire = Wire(tmp_path)
    try:
        path = tmp_path / "train.py"
        text = "from sklearn.model_selection import train_test_split\n\nparts = train_test_split(X, y)\n"
        path.write_text(text)
        uri = path.as_uri()
        wire.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                              "text": text}})
        assert [d["code"] for d in wire.diagnostics(uri, 1)] == ["ML101"]
        edit = {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                "text": "X, y = load()\n"}
        wire.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [edit]})
        [finding] = wire.diagnostics(uri, 2)
        assert finding["code"] == "ML101" and finding["range"]["start"]["line"] == 3
        expected = text.replace("\n\n", "\nX, y = load()\n\n")
        assert wire.request("mlreview/documentText", {"uri": uri}) == expected
        hover = wire.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": finding["range"]["start"]})
        assert "ML101" in hover["contents"]["value"]
    finally:
        wire.close()


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_a_burst_is_analysed_once_and_other_documents_do_not_cancel_an_analysis(tmp_path):
    """Opening or editing another document leaves an analysis alone; edits queued behind a
    version supersede it (only the latest is analysed and published), as in the document store."""
    uris = {name: (tmp_path / f"{name}.py").as_uri() for name in "abc"}
    text = "from sklearn.model_selection import train_test_split\nparts = train_test_split(X)\n"
    change = {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "#\n"}
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        *({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}}} for uri in uris.values()),
        *({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uris["c"], "version": version}, "contentChanges": [change]}} for version in (2, 3)),
    ]
    read, write = os.pipe()
    os.write(write, b"".join(frame(m) for m in messages))
    incoming = Incoming(os.fdopen(read, "rb"))
    while len(incoming.waiting()) < len(messages):
        time.sleep(0.01)
    output = io.BytesIO()
    loop = early.EarlyLoop(incoming, output)
    loop.load_in_background = lambda: None  # this test drives the early loop alone
    answer = {}
    runner = threading.Thread(target=lambda: answer.update(first=loop.run()))
    runner.start()
    try:
        deadline = time.monotonic() + 30
        while [p["version"] for p in published(output, uris["c"])] != [3] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        hover = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
                 "params": {"textDocument": {"uri": uris["a"]}, "position": {"line": 0, "character": 0}}}
        os.write(write, frame(hover))
        runner.join(30)
        os.close(write)
    assert json.loads(answer["first"])["method"] == "textDocument/hover"  # the full server's
    assert [p["version"] for p in published(output, uris["a"])] == [1]
    assert [p["version"] for p in published(output, uris["b"])] == [1]
    assert [p["version"] for p in published(output, uris["c"])] == [3]
    assert [d["code"] for d in published(output, uris["c"])[0]["diagnostics"]] == ["ML101"]
    assert {document.uri: document.analyses for document in loop.session.documents.values()} == \
        {uris["a"]: 1, uris["b"]: 1, uris["c"]: 1}


def published(output: io.BytesIO, uri: str) -> list[dict]:
    data, found = output.getvalue(), []
    while data:
        header, _, rest = data.partition(b"\r\n\r\n")
        length = int(header.split(b":")[1])
        message, data = json.loads(rest[:length]), rest[length:]
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
            found.append(message["params"])
    return found


def loader_steps(loop: early.EarlyLoop, stop: threading.Event) -> tuple[threading.Thread, list[int]]:
    """A thread that counts its steps, with the loader's profile hook (as EarlyLoop.load)."""
    steps: list[int] = []

    def loader():
        sys.setprofile(loop.wait_while_busy)
        try:
            while not stop.is_set():
                steps.append(len(steps))
        finally:
            sys.setprofile(None)

    return threading.Thread(target=loader), steps


def wait_for_steps(steps: list[int], count: int) -> None:
    deadline = time.monotonic() + 10
    while len(steps) < count and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.parametrize("patience", [5.0, 0.05])
def test_loading_waits_while_a_message_is_handled_but_not_for_ever(patience, monkeypatch):
    """Importing lsprotocol holds the interpreter for ~0.7 s in one step; a keystroke analysed
    meanwhile would share it. The loader's calls wait while the loop handles a message, unless
    that takes longer than the patience (the message may wait on a module the import holds)."""
    monkeypatch.setattr(early, "YIELD_PATIENCE", patience)
    read, write = os.pipe()
    loop = early.EarlyLoop(Incoming(os.fdopen(read, "rb")), io.BytesIO())
    stop = threading.Event()
    thread, steps = loader_steps(loop, stop)
    loop.idle.clear()  # a message is being handled
    thread.start()
    try:
        if patience > 1:
            time.sleep(0.2)
            assert len(steps) <= 1  # waiting at its first call
            loop.idle.set()  # idle again: it goes on
        wait_for_steps(steps, 1000)
        assert len(steps) >= 1000
    finally:
        stop.set()
        loop.idle.set()
        thread.join(10)
        os.close(write)
