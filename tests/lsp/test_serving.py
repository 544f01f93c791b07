"""The serving rules through a real LSP session: a request handler edited into being flagged, and
the hover naming the red flag."""

from __future__ import annotations

from lsprotocol import types

from .conftest import Doc

HANDLER = (
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n"
    "\n"
    "@app.route('/score', methods=['POST'])\n"
    "def score():\n"
    "    rows = request.get_json()\n"
    "    return {'y': model.predict(scaler.transform(rows)).tolist()}\n"
)


async def test_fit_typed_into_a_handler_is_flagged_and_explained(client):
    doc = Doc(client, "api.py", HANDLER)
    assert [d.code for d in await doc.diagnostics() if d.code in ("ML505", "ML506")] == ["ML506"]
    column = HANDLER.splitlines()[6].index("transform")
    doc.change((6, column), (6, column), "fit_")  # `scaler.transform` -> `scaler.fit_transform`
    [skew] = [d for d in await doc.diagnostics() if d.code == "ML505"]
    assert skew.severity == types.DiagnosticSeverity.Error and skew.range.start.line == 6
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=skew.range.start))
    assert "ML505 fit-in-serving-path" in hover.contents.value
    assert "training-serving skew" in hover.contents.value and "Model Serving" in hover.contents.value
