"""One fix-all pipeline: the editor's fix-all and `mlreview check --fix` give the same text,
for a file and for a notebook (the real server over stdio, the real CLI as a subprocess)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from lsprotocol import types

from .conftest import Doc, apply_text_edits, get_diagnostics
from .test_notebooks import open_notebook

# Fixes that interact: ML101's two fixes share one SEED constant, ML103's seeding call follows it.
SCRIPT = (
    "import random\n"
    "from sklearn.model_selection import train_test_split\n"
    "noise = random.random()\n"
    "X_train, X_test = train_test_split([1, 2, 3])\n"
    "a, b = train_test_split([4, 5, 6])\n"
)
CELLS = [
    "import random\nfrom sklearn.model_selection import train_test_split",
    "noise = random.random()\n",
    "X_train, X_test = train_test_split([1, 2, 3])",
]


# ML103 (off by default) takes part in the fixes: the editor and the CLI both select it.
WITH_ML103 = {"debounce": 0, "extend-select": ["ML103"]}


def cli_fix(folder, name: str) -> None:
    subprocess.run([sys.executable, "-m", "mlreview", "check", "--fix", "--exit-zero", "--extend-select", "ML103", name],
                   cwd=folder, check=True, capture_output=True, timeout=120)


async def fix_all_edit(client, uri: str, diagnostics) -> types.WorkspaceEdit:
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
        context=types.CodeActionContext(diagnostics=diagnostics, only=[types.CodeActionKind.SourceFixAll])))
    [action] = actions
    if action.edit is None:
        action = await client.code_action_resolve_async(action)
    return action.edit


@pytest.mark.init_options(WITH_ML103)
async def test_file_fix_all_equals_cli_fix(client):
    doc = Doc(client, "train.py", SCRIPT)
    diagnostics = [d for d in await doc.diagnostics() if d.source == "mlreview"]
    edit = await fix_all_edit(client, doc.uri, diagnostics)
    editor_text = apply_text_edits(SCRIPT, edit.changes[doc.uri])
    cli_fix(client.root, "train.py")
    assert editor_text == doc.path.read_text(encoding="utf-8")
    assert editor_text.count("random_state=SEED") == 2 and "random.seed(SEED)" in editor_text


@pytest.mark.init_options(WITH_ML103)
async def test_notebook_fix_all_equals_cli_fix(client):
    cells = [(types.NotebookCellKind.Code, text) for text in CELLS]
    _, cell_uris = open_notebook(client, cells)
    diagnostics = []
    for uri in cell_uris:
        diagnostics += await asyncio.wait_for(get_diagnostics(client, uri, 1), 10) if uri != cell_uris[0] else []
    diagnostics = [d for d in diagnostics if d.code in ("ML101", "ML103")]
    assert diagnostics
    edit = await fix_all_edit(client, cell_uris[2], diagnostics)
    editor_cells = [apply_text_edits(text, edit.changes.get(uri, [])) for text, uri in zip(CELLS, cell_uris)]

    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                           "source": text} for text in CELLS],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = client.root / "same.ipynb"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    cli_fix(client.root, "same.ipynb")
    cli_cells = [cell["source"] for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    assert editor_cells == cli_cells
    assert "random_state=SEED" in editor_cells[2] and "SEED = 42" in editor_cells[0]
