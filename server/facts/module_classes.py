"""Is a class a torch module? One answer for the ML3 rules, ML104 and cross-file resolution.

A class is an `nn.Module` when it derives, directly or through other classes, from a
`torch.nn` class, a Lightning `LightningModule` or a Hugging Face `PreTrainedModel` (both
are `nn.Module`s; `TFPreTrainedModel` and `FlaxPreTrainedModel` are not), or from a class
that another workspace file defines as such (`model.external`, facts/crossfile.py).
"""

from __future__ import annotations

import ast

from ..model.module_model import per_version


def is_module_base(qualname: str) -> bool:
    """A library class whose subclasses are torch modules."""
    if qualname.startswith("torch.nn."):
        return True
    name = qualname.rsplit(".", 1)[-1]
    return name.endswith("LightningModule") or (
        name.endswith("PreTrainedModel") and not name.startswith(("TF", "Flax")))


@per_version
def module_classes(model) -> frozenset[str]:
    """Names of the classes this file defines (at any depth) that are torch modules.

    From the classes with a module base of a library or another file, down the local
    subclass links: linear, whatever order the classes are defined in."""
    found: set[str] = set()
    subclasses: dict[str, list[str]] = {}  # a local name -> the classes naming it as a base
    pending = []
    for _, node in model.nodes(ast.ClassDef):
        for base in node.bases:
            if model.external.is_module_class(base) or is_module_base(model.resolve(base) or ""):
                pending.append(node.name)
            elif isinstance(base, ast.Name):
                subclasses.setdefault(base.id, []).append(node.name)
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending.extend(subclasses.get(name, ()))
    return frozenset(found)
