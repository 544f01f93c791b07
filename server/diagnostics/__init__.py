"""The rule catalogue: one package per family, one module per rule.

A rule lives in `<family>/mlNNN_<name>.py` and is found from its file name: the
registry imports every such module and takes the Rule whose code the file names,
so adding a rule means adding its file (see server/CONTRIBUTING.md).
"""

import importlib
import os
import re

from ..rules.rule import Registry, Rule

FAMILIES = ("reproducibility", "leakage", "training", "data", "serving", "tracking", "project")
RULE_MODULE = re.compile(r"^(ml\d{3})_\w+\.py$")


def family_rules(family: str) -> list[Rule]:
    """The rules declared in `family`'s rule modules, each found by the code in its file name.
    The folder is listed directly: pkgutil's module iteration imports importlib.metadata, a
    tenth of a small file's check."""
    package = importlib.import_module(f"{__name__}.{family}")
    names = sorted(name for folder in package.__path__ for name in os.listdir(folder))
    rules = []
    for name in names:
        match = RULE_MODULE.match(name)
        if match:
            module = importlib.import_module(f"{package.__name__}.{name[:-3]}")
            rules.append(declared_rule(module, match.group(1).upper()))
    return rules


def declared_rule(module, code: str) -> Rule:
    rules = [value for value in vars(module).values() if isinstance(value, Rule) and value.code == code]
    assert len(rules) == 1, f"{module.__name__} must declare exactly one Rule with code {code}"
    return rules[0]


REGISTRY = Registry(rule for family in FAMILIES for rule in family_rules(family))
