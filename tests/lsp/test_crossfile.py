"""Cross-file facts in the editor: publish first, refine when jedi has answered."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .conftest import Doc, pulls

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
