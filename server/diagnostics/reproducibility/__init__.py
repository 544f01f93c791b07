"""ML1: reproducibility. Randomness that is not seeded makes results unrepeatable."""

PRINCIPLE = "Reproducibility"
AREA = "Model Development"
