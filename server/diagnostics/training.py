"""training rules (to be written)."""

RULES: list = []
