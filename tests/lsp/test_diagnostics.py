"""Diagnostics on open, on change, on close; syntax errors while typing; exact positions."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from .conftest import Doc, pulls

SPLIT = (
    "from sklearn.model_selection import train_test_split\n"
    "\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
)


def ml101(diagnostics):
    return [d for d in diagnostics if d.code == "ML101"]


async def test_open_publishes_the_finding_with_its_contract(client):
    doc = Doc(client, "train.py", SPLIT)
    [diag] = ml101(await doc.diagnostics())
    assert diag.source == "mlreview"
    assert diag.severity == types.DiagnosticSeverity.Warning
    assert diag.range == types.Range(start=types.Position(line=2, character=35),
                                     end=types.Position(line=2, character=57))
    assert diag.code_description.href.endswith("/rules/ML101.md")
    assert diag.data["code"] == "ML101" and diag.data["span"] == [3, 35, 3, 57]
    assert "random_state" in diag.message


async def test_change_updates_and_carries_the_version(client):
    doc = Doc(client, "train.py", SPLIT)
    assert ml101(await doc.diagnostics())
    doc.change((2, 56), (2, 56), ", random_state=0")
    assert ml101(await doc.diagnostics()) == []
    if not pulls(client):
        assert client.versions[doc.uri] == doc.version


async def test_close_clears(client):
    doc = Doc(client, "train.py", SPLIT)
    assert ml101(await doc.diagnostics())
    doc.close()
    await asyncio.wait_for(_until(lambda: client.diagnostics.get(doc.uri) is not None and list(client.diagnostics[doc.uri]) == []), 10)


async def test_syntax_error_keeps_findings_of_the_parts_that_parse(client):
    doc = Doc(client, "train.py", SPLIT)
    [before] = ml101(await doc.diagnostics())
    doc.change((1, 0), (1, 0), "broken = (\n")  # an unclosed parenthesis while typing
    diagnostics = await doc.diagnostics()
    [after] = ml101(diagnostics)
    assert after.range.start.line == before.range.start.line + 1
    assert after.range.start.character == before.range.start.character
    [syntax] = [d for d in diagnostics if d.code == "syntax-error"]
    assert syntax.severity == types.DiagnosticSeverity.Error and syntax.source == "mlreview"


@pytest.mark.parametrize("prefix", ["s = '😀😀'; ", "数据 = '训练'; "])
async def test_non_ascii_positions_are_exact_in_the_negotiated_encoding(client, prefix):
    line = prefix + "a, b = train_test_split(X, y)\n"
    doc = Doc(client, "train.py", "from sklearn.model_selection import train_test_split\n" + line)
    [diag] = ml101(await doc.diagnostics())
    encoding = client.capabilities.general.position_encodings if client.capabilities.general else None
    unit = "utf-8" if encoding and encoding[0] == "utf-8" else "utf-16"
    start = line.index("train_test_split")
    end = line.index(")") + 1

    def units(chars: str) -> int:
        return len(chars.encode(unit + ("-le" if unit == "utf-16" else ""))) // (2 if unit == "utf-16" else 1)

    assert diag.range.start == types.Position(line=1, character=units(line[:start]))
    assert diag.range.end == types.Position(line=1, character=units(line[:end]))


@pytest.mark.init_options({"debounce": 300})
async def test_a_burst_of_changes_is_analysed_once(client):
    doc = Doc(client, "train.py", SPLIT)
    assert ml101(await doc.diagnostics())
    before = await _analyses(client, doc.uri)
    for _ in range(20):
        doc.change((1, 0), (1, 0), "#")  # typing a comment on the blank line
    diagnostics = await doc.diagnostics()
    assert ml101(diagnostics)
    after = await _analyses(client, doc.uri)
    assert after - before == 1
    if not pulls(client):
        assert client.versions[doc.uri] == doc.version
        assert all(p.version in (1, doc.version) for p in client.publish_log if p.uri == doc.uri)


async def test_push_clients_get_pushes_and_pull_clients_are_not_pushed_to(client):
    doc = Doc(client, "train.py", SPLIT)
    assert ml101(await doc.diagnostics())
    await asyncio.sleep(0.2)
    pushed = [p for p in client.publish_log if p.uri == doc.uri]
    assert bool(pushed) != pulls(client)


async def _analyses(client, uri):
    """How many analyses the server ran for `uri` (a custom request)."""
    result = await client.protocol.send_request_async("mlreview/stats", {})
    return dict((key, count) for key, count in result.analyses)[uri]


async def _until(predicate, interval=0.02):
    while not predicate():
        await asyncio.sleep(interval)
