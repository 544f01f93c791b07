"""The rule declaration and registry, findings, noqa suppressions and the typed settings."""
