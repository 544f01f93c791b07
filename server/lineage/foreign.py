"""Functions and classes of other workspace files, applied at the document's calls.

facts/crossfile.py resolves `from prep import scale_all` (or `import prep; prep.scale_all`) to the
definition in prep.py and hands its file's text to the model (`model.external.definitions`). Here
that text is parsed into a module model of its own (its names resolve through ITS imports), and its
top-level functions and classes become `Function`/`LocalClass` values whose `home` is that module:
summaries.py applies them exactly as the document's own helpers, with the walker's model switched to
the home's while their bodies run.

Parsed modules are cached by (path, text), a bounded number of them (least recently used first out):
an edit of the importing document, or of another caller of prep.py, parses prep.py no more; an edit
of prep.py changes its text, hence the key.
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from dataclasses import dataclass, field

from ..model.external import ForeignDefinition
from ..model.module_model import ModuleModel
from ..parse.chunks import chunk_document, split_lines
from ..parse.source import SourceText
from .values import Function, LocalClass

CACHE_SIZE = 32


@dataclass(eq=False)
class ForeignModule:
    """Another workspace file, parsed: where its definitions' events are reported."""

    path: str
    model: ModuleModel
    definitions: dict = field(default_factory=dict)  # top-level name -> Function | LocalClass


_MODULES: OrderedDict = OrderedDict()  # (path, text) -> ForeignModule, the most recently used last
parses = 0  # how many files were parsed (tests check the cache is used)


def callee_of(definition: ForeignDefinition):
    """The `Function` or `LocalClass` of another file that a call names, or None."""
    module = foreign_module(definition.path, definition.text)
    return module.definitions.get(definition.name)


def foreign_module(path: str, text: str) -> ForeignModule:
    global parses
    key = (path, text)
    module = _MODULES.get(key)
    if module is not None:
        _MODULES.move_to_end(key)
        return module
    parses += 1
    lines = split_lines(text)
    model = ModuleModel(chunk_document(lines), lines, SourceText(text), path)
    _ = model.call_index  # each chunk's calls resolved through the file's own imports
    module = ForeignModule(path, model)
    for chunk, _facts in model.parsed:
        for stmt in chunk.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                module.definitions[stmt.name] = Function(stmt, chunk, module)
            elif isinstance(stmt, ast.ClassDef):
                module.definitions[stmt.name] = LocalClass(stmt, chunk, module)
    _MODULES[key] = module
    while len(_MODULES) > CACHE_SIZE:
        _MODULES.popitem(last=False)
    return module


def clear_cache() -> None:
    _MODULES.clear()
