"""The documents a replayed session leaves open, rebuilt from its messages as a client would.

The replay checks the server's findings against the CLI's on the same text: this
mirror applies the same didOpen/didChange/notebook messages the server receives
(positions in UTF-16, as VS Code counts) and writes each document out for
`mlreview check`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


def utf16_offset(line: str, units: int) -> int:
    """Code-point index in `line` of a UTF-16 column."""
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def utf16_column(line: str, code_points: int) -> int:
    return sum(2 if ord(c) > 0xFFFF else 1 for c in line[:code_points])


def apply_change(text: str, change: dict) -> str:
    if "range" not in change:
        return change["text"]
    lines = text.split("\n")

    def offset(position: dict) -> int:
        row = position["line"]
        if row >= len(lines):
            return len(text)
        return sum(len(line) + 1 for line in lines[:row]) + utf16_offset(lines[row], position["character"])

    start, end = offset(change["range"]["start"]), offset(change["range"]["end"])
    return text[:start] + change["text"] + text[end:]


@dataclass
class Notebook:
    metadata: dict
    cells: list[dict]  # {"kind": 1|2, "document": uri}


@dataclass
class Mirror:
    texts: dict[str, str] = field(default_factory=dict)  # open document uri (as sent) -> text
    languages: dict[str, str] = field(default_factory=dict)
    notebooks: dict[str, Notebook] = field(default_factory=dict)

    def apply(self, message: dict) -> None:
        method, params = message["method"], message.get("params")
        if method == "textDocument/didOpen":
            self.open(params["textDocument"])
        elif method == "textDocument/didChange":
            self.change(params["textDocument"]["uri"], params["contentChanges"])
        elif method == "textDocument/didClose":
            self.close(params["textDocument"])
        elif method == "notebookDocument/didOpen":
            document = params["notebookDocument"]
            self.notebooks[document["uri"]] = Notebook(document.get("metadata", {}), list(document["cells"]))
            for cell in params["cellTextDocuments"]:
                self.open(cell)
        elif method == "notebookDocument/didChange":
            self.change_notebook(self.notebooks[params["notebookDocument"]["uri"]], params["change"])
        elif method == "notebookDocument/didClose":
            del self.notebooks[params["notebookDocument"]["uri"]]
            for cell in params["cellTextDocuments"]:
                self.close(cell)

    def open(self, item: dict) -> None:
        self.texts[item["uri"]] = item["text"]
        self.languages[item["uri"]] = item["languageId"]

    def close(self, identifier: dict) -> None:
        del self.texts[identifier["uri"]], self.languages[identifier["uri"]]

    def change(self, uri: str, changes: list[dict]) -> None:
        for change in changes:
            self.texts[uri] = apply_change(self.texts[uri], change)

    def change_notebook(self, notebook: Notebook, change: dict) -> None:
        cells = change.get("cells") or {}
        structure = cells.get("structure")
        if structure:
            array = structure["array"]
            start, count = array["start"], array["deleteCount"]
            notebook.cells[start:start + count] = array.get("cells") or []
            for item in structure.get("didOpen") or []:
                self.open(item)
            for identifier in structure.get("didClose") or []:
                self.close(identifier)
        for content in cells.get("textContent") or []:
            self.change(content["document"]["uri"], content["changes"])

    def notebook_of(self, cell_uri: str) -> tuple[str, int] | None:
        """(notebook uri, 1-based index among all its cells) of a cell."""
        for uri, notebook in self.notebooks.items():
            for index, cell in enumerate(notebook.cells, start=1):
                if cell["document"] == cell_uri:
                    return uri, index
        return None

    def ipynb(self, notebook_uri: str) -> str:
        notebook = self.notebooks[notebook_uri]
        cells = []
        for cell in notebook.cells:
            text = self.texts[cell["document"]]
            kind = "code" if cell["kind"] == 2 and self.languages[cell["document"]] == "python" else "markdown"
            entry = {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True)}
            if kind == "code":
                entry.update(execution_count=None, outputs=[])
            cells.append(entry)
        meta = notebook.metadata
        return json.dumps({"cells": cells, "metadata": meta.get("metadata", {}),
                           "nbformat": meta.get("nbformat", 4), "nbformat_minor": meta.get("nbformat_minor", 5)})
