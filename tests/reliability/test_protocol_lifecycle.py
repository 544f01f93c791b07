"""The language server by the book, over the raw wire: every request answered (bad params,
after shutdown), LSP's exit codes, a prompt exit during a long analysis, oversized frames
skipped, didChange with a bad version applied, exclude honoured, closed documents freed."""

from __future__ import annotations

import json
import time

import pytest

from lsp_wire import Wire

LEAKY = ("from sklearn.model_selection import train_test_split\n"
         "X_train, X_test = train_test_split(X)\n")  # ML101
INVALID_PARAMS, INVALID_REQUEST = -32602, -32600


def hostile_text(groups: int) -> str:
    """A long script whose analysis takes many seconds (each group is a leaky pipeline)."""
    lines = ["import numpy as np", "import pandas as pd",
             "from sklearn.model_selection import train_test_split",
             "from sklearn.preprocessing import StandardScaler"]
    for i in range(groups):
        lines += [f"df{i} = pd.read_csv('d{i}.csv')", f"X{i} = StandardScaler().fit_transform(df{i})",
                  f"a{i}, b{i} = train_test_split(X{i})"]
    return "\n".join(lines) + "\n"


def open_text(wire: Wire, folder, name: str, text: str, wait: bool = True) -> str:
    uri = (folder / name).as_uri()
    wire.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                          "text": text}})
    if wait:
        wire.diagnostics(uri, 1, timeout=30)
    return uri


def codes(diagnostics: list[dict]) -> list[str]:
    return [d["code"] for d in diagnostics]


def exit_seconds(wire: Wire, limit: float = 10.0) -> tuple[float, int]:
    started = time.monotonic()
    code = wire.process.wait(timeout=limit)
    return time.monotonic() - started, code


def eventually(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def wire(tmp_path):
    server = Wire(tmp_path)
    yield server
    server.close()


# ----- requests with bad params, requests after shutdown ----------------------------------------

POSITION = {"line": 0, "character": 0}


@pytest.mark.parametrize("method, params", [
    ("textDocument/hover", {"textDocument": {"uri": "DOC"}, "position": {"line": -1, "character": 0}}),
    ("textDocument/hover", {"textDocument": {"uri": "DOC"}, "position": {"line": 0, "character": -5}}),
    ("textDocument/hover", None),
    ("textDocument/hover", [1, 2]),
    ("textDocument/codeAction", {"textDocument": {"uri": "DOC"},
                                 "range": {"start": {"line": -3, "character": 0}, "end": POSITION},
                                 "context": {"diagnostics": []}}),
    ("textDocument/codeAction", None),
    ("textDocument/diagnostic", ["DOC"]),
    ("workspace/executeCommand", None),
])
def test_requests_with_bad_params_get_invalid_params(wire, tmp_path, method, params):
    uri = open_text(wire, tmp_path, "train.py", LEAKY)
    params = json.loads(json.dumps(params).replace('"DOC"', json.dumps(uri)))
    reply = wire.response(wire.request_async(method, params))
    assert reply["error"]["code"] == INVALID_PARAMS and method in reply["error"]["message"]
    hover = wire.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 20}})
    assert "ML101" in hover["contents"]["value"] or "random_state" in hover["contents"]["value"]


def test_requests_after_shutdown_get_invalid_request_and_exit_is_0(wire, tmp_path):
    uri = open_text(wire, tmp_path, "train.py", LEAKY)
    assert wire.request("shutdown", None) is None
    for method, params in [("textDocument/hover", {"textDocument": {"uri": uri}, "position": POSITION}),
                           ("mlreview/stats", {}), ("shutdown", None)]:
        reply = wire.response(wire.request_async(method, params))
        assert reply["error"]["code"] == INVALID_REQUEST, reply
    wire.notify("exit", None)
    seconds, code = exit_seconds(wire)
    assert code == 0 and seconds < 1.0


def test_exit_without_shutdown_is_1(wire):
    wire.notify("exit", None)
    _, code = exit_seconds(wire)
    assert code == 1


# ----- exiting during a long analysis --------------------------------------------------------


@pytest.mark.parametrize("how", ["shutdown and exit", "stdin closed"])
def test_exit_within_a_second_during_a_long_analysis(wire, tmp_path, how):
    open_text(wire, tmp_path, "hostile.py", hostile_text(5000), wait=False)  # ~25 s of analysis alone
    time.sleep(2.0)  # well inside the analysis
    assert wire.process.poll() is None
    if how == "shutdown and exit":
        wire.request("shutdown", None, timeout=2)
        wire.notify("exit", None)
    else:
        wire.process.stdin.close()
    seconds, code = exit_seconds(wire)
    print(f"\n{how}: exited {seconds:.2f} s later")
    assert code == 0 and seconds < 1.0


def test_a_new_version_cancels_the_analysis_of_the_old(wire, tmp_path):
    uri = open_text(wire, tmp_path, "hostile.py", hostile_text(5000), wait=False)
    time.sleep(2.0)
    started = time.monotonic()
    wire.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                           "contentChanges": [{"text": LEAKY}]})
    assert codes(wire.diagnostics(uri, 2, timeout=20)) == ["ML101"]
    print(f"\nthe new version's diagnostics came {time.monotonic() - started:.2f} s after the edit")
    assert time.monotonic() - started < 15  # the old version alone takes over 25 s


# ----- framing and document versions ----------------------------------------------------------


def test_an_absurd_content_length_is_skipped_and_the_server_goes_on(wire, tmp_path):
    uri = open_text(wire, tmp_path, "train.py", LEAKY)
    junk = json.dumps({"jsonrpc": "2.0", "id": 999, "method": "textDocument/hover", "params": {}}).encode()
    wire.process.stdin.write(b"Content-Length: 1000000000000\r\n\r\n" + junk)
    wire.process.stdin.flush()
    stats = wire.request("mlreview/stats", {})
    assert [uri, 1] in stats["analyses"]
    assert 999 not in wire.responses


@pytest.mark.parametrize("version", [None, 2**40, -1, "7"])
def test_did_change_with_a_bad_version_is_applied(wire, tmp_path, version):
    uri = open_text(wire, tmp_path, "train.py", "x = 1\n")
    wire.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                           "contentChanges": [{"text": LEAKY}]})
    assert wire.request("mlreview/documentText", {"uri": uri}) == LEAKY
    assert codes(wire.diagnostics(uri)) == ["ML101"]
    wire.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                           "contentChanges": [{"text": "y = 2\n"}]})
    assert wire.diagnostics(uri, 3) == []
    assert wire.request("mlreview/documentText", {"uri": uri}) == "y = 2\n"


# ----- exclude ----------------------------------------------------------------------------------


def test_exclude_from_the_config_file_and_the_editor(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.mlreview]\nexclude = ["generated/*"]\n')
    (tmp_path / "generated").mkdir()
    wire = Wire(tmp_path)
    try:
        generated = open_text(wire, tmp_path, "generated/split.py", LEAKY, wait=False)
        assert wire.diagnostics(generated, 1) == []
        train = open_text(wire, tmp_path, "train.py", LEAKY, wait=False)
        assert codes(wire.diagnostics(train, 1)) == ["ML101"]
        # the editor excludes train.py too: its diagnostics are cleared
        wire.notify("workspace/didChangeConfiguration", {"settings": {"mlreview": {"exclude": ["train.py"],
                                                                                   "debounce": 0}}})
        assert wire.diagnostics(train) == []
        wire.notify("workspace/didChangeConfiguration", {"settings": {"mlreview": {"debounce": 0}}})
        assert codes(wire.diagnostics(train)) == ["ML101"]
    finally:
        wire.close()


# ----- memory: a closed document is freed ------------------------------------------------------


def test_closed_documents_are_freed(wire, tmp_path):
    """The proof is weak references to each closed document's unit, model and syntax trees
    (RSS is printed, not asserted: the allocator keeps freed pages as it sees fit)."""
    text = "import numpy as np\n" + "".join(f"x{i} = np.zeros({i})\n" for i in range(20000))
    baseline = wire.rss_kb()
    for name in ("big.py", "again.py"):
        uri = open_text(wire, tmp_path, name, text)
        opened = wire.rss_kb()
        wire.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert wire.diagnostics(uri) == []
        assert eventually(lambda: wire.request("mlreview/stats", {})["closedAlive"] == 0)
        print(f"\n{name}: RSS {baseline / 1024:.0f} MB before, {opened / 1024:.0f} MB open, "
              f"{wire.rss_kb() / 1024:.0f} MB after close")
