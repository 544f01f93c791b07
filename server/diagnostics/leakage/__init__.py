"""ML2: data leakage. Test rows that shape the training make the evaluation lie.

Every rule here reads the module's lineage facts (lineage/walker.py): which fits,
statistics, splits and uses happened to which rows, in program order."""

PRINCIPLE = "Reproducibility"
AREA = "Data Pipeline"
RED_FLAG = "data leakage in preprocessing"
