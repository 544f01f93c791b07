"""tracking rules (to be written)."""

RULES: list = []
