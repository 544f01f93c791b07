"""What other workspace files define, as the model carries it (`model.external`).

The model only declares the answer's shape: facts/crossfile.py finds it (with jedi), the
engine hands it to the model, and the rules read it. `EMPTY` means nothing is known, which
the rules treat exactly as a file with no workspace imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..parse.syntax import dotted_name


@dataclass(frozen=True)
class ExternalFacts:
    """Facts about imported workspace names, keyed by the name as the document writes it
    (`Net`, `models.Net`, `m.Net` for `import models as m`)."""

    module_classes: frozenset[str] = frozenset()  # torch.nn.Module / LightningModule subclasses
    module_instances: frozenset[str] = frozenset()  # module-level `net = Net()` of such a class
    # Function -> the generators ("numpy", "random", "torch", "tensorflow") its body seeds;
    # an empty set means "resolved, and it seeds nothing".
    seeders: tuple[tuple[str, frozenset[str]], ...] = ()
    # Function -> how it switches a torch model's mode (`def evaluate(model, loader): model.eval()`).
    mode_switches: tuple[tuple[str, "ModeSwitch"], ...] = ()
    # Function or class -> where it is defined, with its file's text: the lineage walk applies its
    # body at the document's calls as it applies the document's own helpers.
    definitions: tuple[tuple[str, "ForeignDefinition"], ...] = ()

    def is_module_class(self, expr_or_name) -> bool:
        return _written(expr_or_name) in self.module_classes

    def is_module_instance(self, expr_or_name) -> bool:
        return _written(expr_or_name) in self.module_instances

    def seeds(self, expr_or_name) -> frozenset[str] | None:
        """Generators a call of this function seeds; None when the function is unknown here."""
        name = _written(expr_or_name)
        for known, generators in self.seeders:
            if known == name:
                return generators
        return None

    def mode_switch(self, expr_or_name) -> "ModeSwitch | None":
        """How a call of this function switches modes; None when unknown or when it switches none."""
        name = _written(expr_or_name)
        return next((switch for known, switch in self.mode_switches if known == name), None)

    def definition(self, expr_or_name) -> "ForeignDefinition | None":
        """Where the function or class a call names is defined, when another workspace file defines it."""
        name = _written(expr_or_name)
        return next((found for known, found in self.definitions if known == name), None)

    def __bool__(self) -> bool:
        return bool(self.module_classes or self.module_instances or self.seeders or self.mode_switches
                    or self.definitions)


@dataclass(frozen=True)
class ModeSwitch:
    """What a function does to the mode of the torch models it is given."""

    evaluated: tuple[tuple[int, str], ...]  # (position, name) of the parameters it calls `.eval()` on
    trains: bool  # it calls `.train()` somewhere: whatever it put in eval mode is put back


@dataclass(frozen=True)
class ForeignDefinition:
    """A top-level function or class of another workspace file. Equal only with the same text: an
    edit of that file makes the facts differ, so the language server analyses the importer again."""

    path: str
    name: str
    text: str  # the file's text, as read (from disk, or an open editor's buffer)


EMPTY = ExternalFacts()


def _written(expr_or_name) -> str | None:
    return expr_or_name if isinstance(expr_or_name, str) or expr_or_name is None else dotted_name(expr_or_name)
