"""The text of an open unit (a Python file, or a notebook's code cells) at one moment.

Documents are keyed by their normalised URI (uris.normalise); `client_uris` keeps
each one's spelling as the client sent it, for everything sent back.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types
from pygls.workspace import Workspace

from ..parse.chunks import split_lines
from ..parse.source import CellSpan, SourceText, join_cells
from .uris import normalise, open_document

# VS Code syncs every cell of a notebook (its index among all cells is the contract);
# markdown cells have kind Markup and raw cells the language "raw".
PYTHON_CELL_LANGUAGE = "python"


@dataclass
class Snapshot:
    key: str  # the normalised URI of the file or notebook
    source: SourceText
    lines: list[str]
    versions: dict[str, int | None]  # normalised document (or cell) URI -> version
    client_uris: dict[str, str]  # normalised URI -> as the client spells it
    cell_keys: list[str] | None = None  # normalised cell URIs, parallel to source.cells

    @property
    def notebook(self) -> bool:
        return self.cell_keys is not None

    def place(self, line: int) -> tuple[str, int] | None:
        """(normalised document URI, line offset) of the document holding 1-based unit line `line`."""
        if self.cell_keys is None:
            return self.key, 0
        cell = self.source.cell_at(line)
        if cell is None:
            return None
        return self.cell_keys[self.source.cells.index(cell)], cell.first_line - 1

    def cell(self, key: str) -> CellSpan | None:
        if self.cell_keys is None or key not in self.cell_keys:
            return None
        return self.source.cells[self.cell_keys.index(key)]

    def client_uri(self, key: str) -> str:
        return self.client_uris.get(key, key)


def file_snapshot(workspace: Workspace, key: str, uri: str) -> Snapshot | None:
    document = open_document(workspace, uri)
    if document is None:
        return None
    text = document.source
    return Snapshot(key, SourceText(text), split_lines(text), {key: document.version}, {key: uri})


def notebook_snapshot(workspace: Workspace, key: str, uri: str) -> Snapshot | None:
    """The notebook's Python code cells joined in order, numbered 1-based among all its cells."""
    notebook = workspace.get_notebook_document(notebook_uri=uri)
    if notebook is None:
        return None
    sources, keys, versions, client_uris = [], [], {}, {key: uri}
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.kind != types.NotebookCellKind.Code:
            continue
        document = open_document(workspace, cell.document)
        if document is None or document.language_id != PYTHON_CELL_LANGUAGE:
            continue
        cell_key = normalise(cell.document)
        sources.append((index, document.source))
        keys.append(cell_key)
        versions[cell_key] = document.version
        client_uris[cell_key] = cell.document
    source = join_cells(sources)
    return Snapshot(key, source, split_lines(source.text), versions, client_uris, keys)
