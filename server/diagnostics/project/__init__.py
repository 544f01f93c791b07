"""PROJECT-scope rules (RULES.md "Project scope"): red flags that belong to a project, judged
over every file's facts (server/project/) and anchored at the first place that makes them true.
ML306 and ML601 live with their families (training/, tracking/) and use the same helpers."""
