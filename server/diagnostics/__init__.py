"""The rule catalogue: one module per family, each rule declared once."""

from ..core.rules import Registry
from . import data, leakage, project, reproducibility, serving, tracking, training

FAMILIES = (reproducibility, leakage, training, data, serving, tracking, project)
REGISTRY = Registry(rule for family in FAMILIES for rule in family.RULES)
