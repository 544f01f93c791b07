"""Cancelling a request the server already answered is routine, not an error.

VS Code shows every line the server writes to stderr as "[error]"; it cancels
the requests of every open notebook cell when the server restarts, usually after
their answers have arrived. The server stays silent about that.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))

from lsp_wire import Wire  # noqa: E402

TRAIN = "from sklearn.model_selection import train_test_split\nX_train, X_test = train_test_split(X)\n"


def test_cancelling_answered_requests_writes_nothing_to_stderr(tmp_path: Path):
    wire = Wire(tmp_path)
    try:
        uri = (tmp_path / "my project" / "train.py").as_uri()
        wire.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": TRAIN}})
        assert [d["code"] for d in wire.diagnostics(uri, 1)] == ["ML101"]
        answered = []
        for character in (0, 20, 40):
            request = wire.request_async("textDocument/hover", {
                "textDocument": {"uri": uri}, "position": {"line": 1, "character": character}})
            wire.response(request)
            answered.append(request)
        for request in answered:
            wire.notify("$/cancelRequest", {"id": request})
        # A request after the cancellations: they have all been handled once it is answered.
        assert wire.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 1, "character": 20}}) is not None
    finally:
        wire.close()
    assert b"".join(wire.stderr).decode() == ""

