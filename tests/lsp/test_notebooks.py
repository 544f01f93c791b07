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
    if pulls(client):
        assert await get_diagnostics(client, cells[2]) == []
    else:
        await _until(lambda: list(client.diagnostics.get(cells[2], [None])) == [])


async def _until(predicate):
    import asyncio

    async def loop():
        while not predicate():
            await asyncio.sleep(0.02)
    await asyncio.wait_for(loop(), 10)


RAW = types.NotebookCellKind.Code  # VS Code's raw cells are code cells in the language "raw"
MIXED = [
    (types.NotebookCellKind.Markup, "# Scale, then split"),
    (types.NotebookCellKind.Code, "from sklearn.model_selection import train_test_split\n"
                                  "from sklearn.preprocessing import StandardScaler\n"
                                  "X_s = StandardScaler().fit_transform(X)"),
    (RAW, "not Python at all ("),
    (types.NotebookCellKind.Code, "X_train, X_test = train_test_split(X_s, random_state=0)"),
]


async def test_cells_are_numbered_among_all_cells_and_related_places_link_to_their_cell(client):
    uri = (client.root / "mixed.ipynb").as_uri()
    cell_uris = [f"vscode-notebook-cell:{uri[len('file:'):]}#W{i}sZmlsZQ%3D%3D" for i in range(len(MIXED))]
    languages = ["markdown", "python", "raw", "python"]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=uri, notebook_type="jupyter-notebook", version=0,
            cells=[types.NotebookCell(kind=kind, document=cell) for (kind, _), cell in zip(MIXED, cell_uris)]),
        cell_text_documents=[types.TextDocumentItem(uri=cell, language_id=language, version=1, text=text)
                             for (_, text), cell, language in zip(MIXED, cell_uris, languages)]))
    [leak] = [d for d in await get_diagnostics(client, cell_uris[1], 1) if d.code == "ML201"]
    assert "in cell 4, line 1" in leak.message  # the markdown and raw cells count, as in the CLI
    [related] = leak.related_information
    assert related.location.uri == cell_uris[3]
    assert related.location.range.start == types.Position(line=0, character=18)
    # raw text is not analysed: no syntax error for it (a push for it would come before the last cell's)
    await get_diagnostics(client, cell_uris[3], 1)
    shown = await get_diagnostics(client, cell_uris[2]) if pulls(client) else client.diagnostics.get(cell_uris[2])
    assert not shown


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
