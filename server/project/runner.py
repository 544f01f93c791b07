"""The project rule runner: project facts in, project findings out, with the usual
configuration (selection, per-file-ignores, severities) and suppressions (`# noqa` on the
anchor line, `# mlreview: noqa` in the anchor file)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..engine import default_severity
from ..rules.noqa import file_suppressions, line_suppresses
from .model import Project, ProjectFinding

log = logging.getLogger("mlreview")


def run_project_rules(project: Project, registry, settings,
                      document_text: Callable[[str], str]) -> list[ProjectFinding]:
    """`document_text(relative path)`: the anchor file's text (a notebook's joined cells)."""
    found: list[ProjectFinding] = []
    for rule in registry:
        if rule.project_check is None:
            continue
        try:
            for candidate in rule.project_check(project, rule):
                if kept(candidate, rule, project, settings, document_text):
                    finding = candidate.finding
                    finding.severity = settings.severity_of(rule.code, default_severity(finding))
                    found.append(candidate)
        except Exception:  # a broken rule must not take the others down
            log.exception("project rule %s failed on %s", rule.code, project.root)
    found.sort(key=lambda item: (item.path, item.finding.sort_key()))
    return found


def kept(candidate: ProjectFinding, rule, project: Project, settings, document_text) -> bool:
    code = rule.code
    if not settings.is_enabled(code, str(project.root / candidate.path), on_by_default=rule.on_by_default):
        return False
    text = document_text(candidate.path)
    suppressed = file_suppressions(text)
    if suppressed and ("*" in suppressed or code in suppressed):
        return False
    lines = text.splitlines()
    line = candidate.finding.span.line
    return not (0 < line <= len(lines) and line_suppresses(lines[line - 1], code))
