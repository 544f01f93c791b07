"""What `ModuleModel.method_calls` does not index: calls of plain names (`train(...)`),
keyword arguments (`validation_data=`) and attribute nodes (`.oob_score_`).

Built once per chunk and cached with the chunk's tree (an edit re-indexes only
the chunks it touched); a name's entries are merged across chunks on first
request, once per module model. Only rules that ask pay for it.
"""

from __future__ import annotations

import ast

from .module_model import per_version

# The indexes live on the objects they index, not in WeakKeyDictionaries: an index's values
# refer to its key's nodes, which would keep every tree and model alive.


def chunk_sites(tree: ast.Module, facts) -> dict[str, list[ast.AST]]:
    """"name(" -> calls of a plain name, "name=" -> calls with that keyword, ".name" -> attribute nodes."""
    index = getattr(tree, "mlreview_sites", None)
    if index is None:
        index = {}
        for call in facts.by_type.get(ast.Call, ()):
            if type(call.func) is ast.Name:
                index.setdefault(call.func.id + "(", []).append(call)
            for keyword in call.keywords:
                if keyword.arg is not None:
                    index.setdefault(keyword.arg + "=", []).append(call)
        for attribute in facts.by_type.get(ast.Attribute, ()):
            index.setdefault("." + attribute.attr, []).append(attribute)
        tree.mlreview_sites = index
    return index


class DocumentSites:
    def __init__(self, model):
        self.chunks = [(chunk, chunk_sites(chunk.tree, facts)) for chunk, facts in model.parsed]
        self.merged: dict[str, list[tuple[object, ast.AST]]] = {}

    def get(self, key: str) -> list[tuple[object, ast.AST]]:
        found = self.merged.get(key)
        if found is None:
            found = self.merged[key] = [(chunk, node) for chunk, index in self.chunks for node in index.get(key, ())]
        return found

    def keys(self) -> set[str]:
        return {key for _, index in self.chunks for key in index}


@per_version
def document_sites(model) -> DocumentSites:
    return DocumentSites(model)


def function_calls(model, *names: str) -> list[tuple[object, ast.Call]]:
    """(chunk, call) of `name(...)` for each plain name (program order per name)."""
    sites = document_sites(model)
    return [entry for name in names for entry in sites.get(name + "(")]


def keyword_calls(model, *keywords: str) -> list[tuple[object, ast.Call]]:
    """(chunk, call) of the calls passing one of these keyword arguments."""
    sites = document_sites(model)
    return [entry for keyword in keywords for entry in sites.get(keyword + "=")]


def attribute_nodes(model, *attributes: str) -> list[tuple[object, ast.Attribute]]:
    """(chunk, node) of `x.attribute` for each attribute name (loads and stores)."""
    sites = document_sites(model)
    return [entry for attribute in attributes for entry in sites.get("." + attribute)]


def called_names(model) -> set[str]:
    """The last name of everything called in the document: `fit`, `accuracy`, `train_one_epoch`."""
    names = {key[:-1] for key in document_sites(model).keys() if key.endswith("(")}
    for _, facts in model.parsed:
        names.update(facts.calls_by_method)
    return names
