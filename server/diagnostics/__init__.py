"""The rule catalogue: one package per family, one module per rule.

A rule lives in `<family>/mlNNN_<name>.py` and is found from its file name: the
registry imports every such module and takes the Rule whose code the file names,
so adding a rule means adding its file (see server/CONTRIBUTING.md).
"""

import importlib
import pkgutil
import re

from ..rules.rule import Registry, Rule

FAMILIES = ("reproducibility", "leakage", "training", "data", "serving", "tracking", "project")
RULE_MODULE = re.compile(r"^(ml\d{3})_\w+$")


def family_rules(family: str) -> list[Rule]:
    """The rules declared in `family`'s rule modules, each found by the code in its file name."""
    package = importlib.import_module(f"{__name__}.{family}")
    rules = []
    for module_info in pkgutil.iter_modules(package.__path__):
        match = RULE_MODULE.match(module_info.name)
        if match:
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            rules.append(declared_rule(module, match.group(1).upper()))
    return rules


def declared_rule(module, code: str) -> Rule:
    rules = [value for value in vars(module).values() if isinstance(value, Rule) and value.code == code]
    assert len(rules) == 1, f"{module.__name__} must declare exactly one Rule with code {code}"
    return rules[0]


REGISTRY = Registry(rule for family in FAMILIES for rule in family_rules(family))
