"""The server exits promptly when its client goes away, and survives bad requests."""

from __future__ import annotations

import subprocess
import time

from lsprotocol import types

from .conftest import Doc, server_command


def test_exits_when_stdin_closes():
    started = time.monotonic()
    process = subprocess.run(server_command(), input=b"", capture_output=True, timeout=30)
    assert process.returncode == 0
    assert time.monotonic() - started < 30


async def test_a_failing_request_is_logged_and_the_server_goes_on(client):
    # A resolve for an action the server never listed: answered, not fatal.
    action = types.CodeAction(title="?", data={"uri": "file:///nowhere.py", "action": "fix", "span": "bad"})
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is None
    doc = Doc(client, "train.py", "from sklearn.model_selection import train_test_split\nsplit = train_test_split(X)\n")
    assert "ML101" in [d.code for d in await doc.diagnostics()]
