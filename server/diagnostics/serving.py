"""serving rules (to be written)."""

RULES: list = []
