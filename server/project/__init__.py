"""The project layer: root discovery, file listing, per-file project facts, the project
rule runner and the report (RULES.md "Project scope")."""
