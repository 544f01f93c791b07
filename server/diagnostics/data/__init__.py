"""ML4: data handling. pandas code that silently does nothing or the wrong thing."""

PRINCIPLE = "Reproducibility"
AREA = "Data Pipeline"
RED_FLAG = "unhandled edge cases"
