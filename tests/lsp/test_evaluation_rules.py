"""The evaluation-methodology rules through the real server: a time-ordered split is reported with
the place that ordered the data, explained on hover, and fixed (unsafe) by the quick fix."""

from __future__ import annotations

import ast

from lsprotocol import types

from .conftest import Doc, apply_text_edits

TEMPORAL = (
    "import pandas as pd\n"
    "from sklearn.model_selection import train_test_split\n"
    "df = pd.read_csv('sales.csv').sort_values('date')\n"
    "train, test = train_test_split(df, random_state=0)\n"
)


async def test_temporal_shuffle_is_reported_explained_and_fixed(client):
    doc = Doc(client, "forecast.py", TEMPORAL)
    [diag] = [d for d in await doc.diagnostics() if d.code == "ML209"]
    assert diag.range.start.line == 3 and diag.severity == types.DiagnosticSeverity.Warning
    assert [info.location.range.start.line for info in diag.related_information or []] == [2]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=diag.range.start))
    assert "ML209 temporal-shuffle" in hover.contents.value
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))
    [fix] = [a for a in actions if a.title == "Split in time order (shuffle=False)"]
    if fix.edit is None:
        fix = await client.code_action_resolve_async(fix)
    fixed = apply_text_edits(doc.text, fix.edit.changes[doc.uri])
    ast.parse(fixed)
    assert "train_test_split(df, random_state=0, shuffle=False)" in fixed
    doc.replace_all(fixed)
    assert [d for d in await doc.diagnostics() if d.code == "ML209"] == []
