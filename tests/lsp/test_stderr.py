"""What the server writes to stderr, which editors show as errors (VS Code's output
channel marks every stderr line [error]): nothing for the normal races of LSP."""

from __future__ import annotations

import json
import subprocess

from .conftest import server_command


def frame(message: dict) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def test_a_cancel_for_an_answered_request_writes_nothing_to_stderr(tmp_path):
    messages = [
        {"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": tmp_path.as_uri(),
                                                      "capabilities": {}}},
        {"method": "initialized", "params": {}},
        {"method": "$/cancelRequest", "params": {"id": 1}},  # answered already
        {"method": "$/cancelRequest", "params": {"id": 42}},  # never sent
        {"id": 2, "method": "shutdown"},
        {"method": "exit"},
    ]
    run = subprocess.run(server_command(), input=b"".join(frame(m) for m in messages),
                         capture_output=True, timeout=60)
    assert b'"id": 2' in run.stdout or b'"id":2' in run.stdout  # the server did answer
    assert b"Cancel notification" not in run.stderr
    assert run.stderr.decode(errors="replace").strip() == ""
