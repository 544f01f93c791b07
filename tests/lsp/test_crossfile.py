"""Cross-file facts in the editor: publish first, refine when jedi has answered."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .conftest import Doc, diagnostics_when, pulls

MODELS = "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n"
TRAIN = (
    "import torch\n"
    "from models import Net\n"
    "\n"
    "model = Net()\n"
    "with torch.no_grad():\n"
    "    model(x)\n"
)


def ml302(diagnostics) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == "ML302"]


async def analyses_of(client, uri: str) -> int:
    result = await client.protocol.send_request_async("mlreview/stats", {})
    return dict((key, count) for key, count in result.analyses)[uri]


async def test_refined_diagnostics_arrive_after_the_first_publish(client):
    (client.root / "models.py").write_text(MODELS)
    doc = Doc(client, "train.py", TRAIN)
    if pulls(client):
        # The first answer comes from the analysis alone; the refined one once jedi has answered
        # (the server asks the editor to pull again when it supports refresh).
        async def refined():
            while True:
                found = ml302(await doc.diagnostics())
                if found:
                    return found
                await asyncio.sleep(0.05)
        [diag] = await asyncio.wait_for(refined(), 20)
    else:
        async def refined_publish():
            while True:
                mine = [p for p in client.publish_log if p.uri == doc.uri]
                if mine and ml302(mine[-1].diagnostics):
                    return mine
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        publishes = await asyncio.wait_for(refined_publish(), 20)
        assert ml302(publishes[0].diagnostics) == []  # published first, without cross-file knowledge
        assert all(p.version == doc.version for p in publishes)  # the same version, refined
        [diag] = ml302(publishes[-1].diagnostics)
    assert diag.range.start.line == 4  # the `with` line
    assert await analyses_of(client, doc.uri) == 2  # the analysis, and one more with the facts

    # Typing elsewhere reuses the cached facts: the finding stays, no second refinement.
    doc.change((6, 0), (6, 0), "y = 1\n")
    assert ml302(await doc.diagnostics())
    await asyncio.sleep(0.3)
    assert await analyses_of(client, doc.uri) == 3


PREP = (
    "from sklearn.preprocessing import StandardScaler\n"
    "\n"
    "\n"
    "def scale_all(frame):\n"
    "    return StandardScaler().fit_transform(frame)\n"
)
CALLER = (
    "import pandas as pd\n"
    "from sklearn.model_selection import train_test_split\n"
    "from prep import scale_all\n"
    "\n"
    "X = scale_all(pd.read_csv('d.csv'))\n"
    "X_train, X_test = train_test_split(X, random_state=0)\n"
)


async def until(client, doc: Doc, wanted, timeout: float = 20) -> list[types.Diagnostic]:
    """The document's diagnostics once `wanted(diagnostics)` holds (cross-file facts come later)."""
    return await diagnostics_when(client, doc.uri, wanted, timeout)


def ml201(diagnostics) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == "ML201"]


async def test_leak_through_a_helper_of_another_file(client):
    """The helper is on disk, the caller open: the finding is on the call, its related
    information in the helper's file; the helper opened with other text in the editor wins."""
    helper = client.root / "prep.py"
    helper.write_text(PREP)
    doc = Doc(client, "train.py", CALLER)
    [diag] = ml201(await until(client, doc, ml201))
    assert diag.range.start.line == 4  # `X = scale_all(...)`: the call passing the full data
    assert "inside `scale_all` of prep.py" in diag.message
    places = {(info.location.uri, info.location.range.start.line) for info in diag.related_information}
    assert (helper.resolve().as_uri(), 4) in places  # the fit, line 5 of prep.py
    assert (doc.uri, 5) in places  # the split

    # prep.py opened and edited (not saved): its editor text is what the caller's call applies.
    opened = types.TextDocumentItem(uri=helper.as_uri(), language_id="python", version=1,
                                    text=PREP.replace("StandardScaler().fit_transform(frame)", "frame"))
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=opened))
    assert helper.read_text() == PREP
    await until(client, doc, lambda found: not ml201(found))
