"""The rule catalogue: one module per family, each rule declared once."""

from ..rules.rule import Registry
from . import data, leakage, reproducibility, serving, tracking, training

FAMILIES = (reproducibility, leakage, training, data, serving, tracking)
REGISTRY = Registry(rule for family in FAMILIES for rule in family.RULES)
