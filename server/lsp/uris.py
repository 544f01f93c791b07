"""Document URIs as the server compares them.

Clients spell one document's URI in several ways: VS Code percent-encodes
(`file:///home/u/my%20project/train.py`, `file:///c%3A/Users/...`, cell URIs
`vscode-notebook-cell:/home/u/kaggle.ipynb#W0sZmlsZQ%3D%3D`), other clients do
not (`file:///C:/Users/...`). Every key, lookup and comparison in the server uses
`normalise`; what goes back to the client (diagnostics, locations, edits) uses the
URI exactly as the client sent it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:  # the early loop (early.py) normalises URIs before pygls is loaded
    from pygls.workspace import Workspace
    from pygls.workspace.text_document import TextDocument

# scheme ":" optional "//authority", then "/" and a drive letter: file:///C:/..., vscode-notebook-cell:/c:/...
_DRIVE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:(?://[^/]*)?/)([A-Za-z])(:|%3[Aa])")


def normalise(uri: str) -> str:
    """One spelling per document: percent-decoded, Windows drive letter in lower case."""
    match = _DRIVE.match(uri)
    if match:
        uri = f"{match.group(1)}{match.group(2).lower()}:{uri[match.end():]}"
    return unquote(uri)


def open_document(workspace: Workspace, uri: str) -> TextDocument | None:
    """The document the client opened under `uri` (its own spelling), or None.

    pygls 2 keys its documents by the unquoted URI (Workspace.put_text_document);
    `get_text_document` would invent a document read from disk instead of None.
    """
    return workspace.text_documents.get(unquote(uri))
