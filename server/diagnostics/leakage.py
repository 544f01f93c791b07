"""leakage rules (to be written)."""

RULES: list = []
