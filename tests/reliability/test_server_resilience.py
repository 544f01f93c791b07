"""The language server under abuse: failing handlers, cancellation, a dying client, bursts
of edits, and random incremental edits in utf-16 and utf-8 that must leave the server's
view of the text equal to the client's (checked through the diagnostics it publishes,
compared with the engine's on the client's text)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsp_wire import Wire
from mlreview.engine import analyse_text

BASE = (
    "import pickle\n"
    "import numpy as np\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "données = np.zeros((10, 2))  # 😀 中文\n"
    "y = np.zeros(10)\r\n"
    "scaler = StandardScaler()\n"
    "é = 1; X_s = scaler.fit_transform(données)\n"
    "X_train, X_test, y_train, y_test = train_test_split(X_s, y)\n"
    "模型 = 1; m = pickle.load(open('modèle_😀.pkl', 'rb'))\n"
    "e\u0301 = 2; m2 = pickle.loads(b'')\n"
)
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lsp_lines(text: str) -> list[str]:
    """Lines as LSP counts them (only \\n, \\r\\n and \\r end a line), without their endings."""
    return LINE_BREAK.split(text)


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def position(text: str, offset: int, encoding: str) -> dict:
    before = text[:offset]
    line = len(LINE_BREAK.findall(before))
    if before.endswith("\r") and text[offset:offset + 1] == "\n":
        raise ValueError("inside a CRLF")
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return {"line": line, "character": units(text[start:offset], encoding)}


def expected_diagnostics(text: str, encoding: str, path: str) -> list[tuple]:
    from mlreview.parse.chunks import split_lines

    lines = [LINE_BREAK.sub("", line) for line in split_lines(text)]
    out = []
    for finding in analyse_text(text, path=path).findings:
        s = finding.span

        def char(line: int, col: int) -> int:
            return units(lines[line - 1][:col], encoding) if line - 1 < len(lines) else col

        out.append((finding.code, s.line - 1, char(s.line, s.col), s.end_line - 1, char(s.end_line, s.end_col)))
    return sorted(out)


def published(diagnostics: list[dict]) -> list[tuple]:
    return sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                   d["range"]["end"]["line"], d["range"]["end"]["character"])
                  for d in diagnostics if str(d.get("code", "")).startswith("ML"))


def assert_inside(diagnostics: list[dict], text: str, encoding: str) -> None:
    lines = lsp_lines(text)
    for d in diagnostics:
        for end in ("start", "end"):
            p = d["range"][end]
            assert 0 <= p["line"] < len(lines), (d, len(lines))
            assert 0 <= p["character"] <= units(lines[p["line"]], encoding), (d, lines[p["line"]])


@pytest.fixture
def server(tmp_path):
    wire = Wire(tmp_path)
    yield wire
    wire.close()


def open_document(wire: Wire, folder, text: str = BASE, name: str = "doc.py") -> str:
    uri = (folder / name).as_uri()
    wire.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                          "text": text}})
    wire.diagnostics(uri, 1)
    return uri


def alive_and_serving(wire: Wire, uri: str) -> None:
    hover = wire.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": {"line": 9, "character": 14}})
    assert hover is None or "contents" in hover
    assert wire.process.poll() is None


# ----- failing handlers ---------------------------------------------------------------------

BAD_REQUESTS = [
    ("textDocument/hover", {"textDocument": {"uri": "file:///never/opened.py"}, "position": {"line": 0, "character": 0}}),
    ("textDocument/hover", {"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 99, "character": 99}}),
    ("textDocument/codeAction", {"textDocument": {"uri": "file:///never/opened.py"},
                                 "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                 "context": {"diagnostics": []}}),
    ("codeAction/resolve", {"title": "x", "data": "not an object"}),
    ("codeAction/resolve", {"title": "x", "data": {"uri": 5, "key": [], "code": None}}),
    ("codeAction/resolve", {"title": "x", "data": {"uri": "DOC", "span": "nonsense", "code": "ML999"}}),
    ("codeAction/resolve", {"title": "x", "data": {"uri": "DOC", "span": [99, 0, 99, 5], "code": "ML501"}}),
    ("workspace/executeCommand", {"command": "mlreview.fixAll", "arguments": [123, None]}),
    ("workspace/executeCommand", {"command": "mlreview.fixAll", "arguments": [{"uri": ["x"]}]}),
    ("workspace/executeCommand", {"command": "mlreview.fixAll", "arguments": ["file:///never/opened.py"]}),
    ("workspace/executeCommand", {"command": "mlreview.showRule", "arguments": [{"code": "ML201"}]}),
    ("workspace/executeCommand", {"command": "mlreview.showRule"}),
    ("workspace/executeCommand", {"command": "no.such.command", "arguments": []}),
    ("textDocument/diagnostic", {"textDocument": {"uri": "file:///never/opened.py"}}),
    ("no/suchMethod", {}),
]


def test_failing_handlers_leave_the_server_serving(server, tmp_path):
    uri = open_document(server, tmp_path)
    for method, params in BAD_REQUESTS:
        params = eval_doc(params, uri)
        reply = server.response(server.request_async(method, params), timeout=10)
        assert "result" in reply or "error" in reply, (method, reply)
        alive_and_serving(server, uri)
    # Notifications about documents the server never saw, and malformed ones.
    server.notify("textDocument/didChange", {"textDocument": {"uri": "file:///never/opened.py", "version": 2},
                                             "contentChanges": [{"text": "x"}]})
    server.notify("textDocument/didClose", {"textDocument": {"uri": "file:///never/opened.py"}})
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"range": {"start": {"line": 500, "character": 0},
                                                                           "end": {"line": 900, "character": 4}},
                                                                 "text": "zzz"}]})
    server.notify("workspace/didChangeConfiguration", {"settings": {"mlreview": {"select": 5, "bogus": True}}})
    server.notify("$/unknownNotification", {"x": 1})
    alive_and_serving(server, uri)


def eval_doc(params, uri):
    """Put the opened document's URI where a payload says "DOC"."""
    if isinstance(params, dict):
        return {k: eval_doc(v, uri) for k, v in params.items()}
    return uri if params == "DOC" else params


def test_cancel_request_is_honoured(server, tmp_path):
    uri = open_document(server, tmp_path)
    ids = []
    for _ in range(20):
        request_id = server.request_async("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 10, "character": 0}},
            "context": {"diagnostics": []}})
        server.notify("$/cancelRequest", {"id": request_id})
        ids.append(request_id)
    server.notify("$/cancelRequest", {"id": 987654})  # a request that does not exist
    for request_id in ids:
        reply = server.response(request_id, timeout=10)
        assert "result" in reply or reply["error"]["code"] in (-32800, -32603), reply
    alive_and_serving(server, uri)


def test_server_exits_when_the_client_dies(tmp_path):
    wire = Wire(tmp_path)
    open_document(wire, tmp_path)
    wire.process.stdin.close()
    started = time.monotonic()
    try:
        wire.process.wait(timeout=2)
    except Exception:
        wire.process.kill()
        pytest.fail("the server was still running 2 s after its client closed stdin")
    print(f"\nexited {time.monotonic() - started:.2f} s after stdin closed")


def test_a_burst_of_edits_leaves_memory_flat(server, tmp_path):
    """Typing a line and deleting it again, 1,000 times as fast as the client can send."""
    uri = open_document(server, tmp_path)
    version = 1

    def burst(count: int) -> None:
        nonlocal version
        for i in range(count):
            version += 1
            line = 4 + (i // 2) % 5
            if i % 2 == 0:  # type a line ...
                change = {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                          "text": f"z{i % 10} = données  # é😀\n"}
            else:  # ... and delete it again
                change = {"range": {"start": {"line": line, "character": 0},
                                    "end": {"line": line + 1, "character": 0}}, "text": ""}
            server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [change]})
        diagnostics = server.diagnostics(uri, version, timeout=30)
        assert published(diagnostics) == expected_diagnostics(BASE, server.encoding, str(tmp_path / "doc.py"))

    burst(100)
    server.request("mlreview/stats", {})  # the full server has taken over from the early loop (lsp/early.py)
    burst(100)
    baseline = server.rss_kb()
    samples = []
    for _ in range(9):
        burst(100)
        samples.append(server.rss_kb())
    print(f"\nRSS after 100 edits {baseline / 1024:.1f} MB, then per 100: "
          + ", ".join(f"{kb / 1024:.1f}" for kb in samples))
    assert samples[-1] < baseline * 1.10 + 2048, f"RSS grew from {baseline} kB to {samples[-1]} kB"
    alive_and_serving(server, uri)


# ----- random incremental edits (hypothesis) ---------------------------------------------------

PIECES = ["x", "é", "😀", "中文", "e\u0301", "\r\n", "\n", " ", "(", ")", "pickle.load(f)", "𝔘", "#", "'", "\t"]
edit = st.tuples(st.floats(0, 1), st.integers(0, 12), st.lists(st.sampled_from(PIECES), max_size=4).map("".join))
sequences = st.lists(st.lists(edit, min_size=1, max_size=3), min_size=1, max_size=6)  # didChange notifications

@pytest.fixture(scope="module", params=["utf-16", "utf-8"])
def encoded_server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    wire = Wire(folder, encodings=[request.param])
    assert wire.encoding == request.param
    yield wire, folder
    wire.close()


def clean_offset(text: str, offset: int) -> int:
    """Never between the \\r and \\n of one line break (no LSP position is there)."""
    return offset - 1 if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n" else offset


COUNTER = iter(range(1, 10**9))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(sequences)
def test_random_incremental_edits_keep_server_and_client_in_sync(encoded_server, notifications):
    wire, folder = encoded_server
    encoding = wire.encoding
    uri = (folder / f"doc{next(COUNTER)}.py").as_uri()
    text, version = BASE, 1
    wire.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                          "text": text}})
    for changes in notifications:
        content_changes = []
        for fraction, length, insert in changes:
            start = clean_offset(text, int(fraction * len(text)))
            end = clean_offset(text, min(start + length, len(text)))
            content_changes.append({"range": {"start": position(text, start, encoding),
                                              "end": position(text, end, encoding)}, "text": insert})
            text = text[:start] + insert + text[end:]
        version += 1
        wire.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": content_changes})
    diagnostics = wire.diagnostics(uri, version, timeout=20)
    assert wire.request("mlreview/documentText", {"uri": uri}) == text
    assert_inside(diagnostics, text, encoding)
    path = str(folder / uri.rsplit("/", 1)[1])
    assert published(diagnostics) == expected_diagnostics(text, encoding, path), repr(text)
    wire.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
