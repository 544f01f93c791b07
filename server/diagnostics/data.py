"""data rules (to be written)."""

RULES: list = []
