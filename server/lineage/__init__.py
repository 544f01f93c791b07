"""Data lineage: the flow-sensitive walk that says what happened to which rows (fits, statistics, splits, uses)."""
