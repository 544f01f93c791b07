"""The one entry point adapters use to turn a finding into a fix."""

from __future__ import annotations

import logging

from ..rules.findings import Finding, Fix

log = logging.getLogger("mlreview")


def build_fix(text: str, finding: Finding) -> Fix | None:
    """The finding's fix against `text`, or None (no fix, or it could not be built)."""
    if not finding.fixable:
        return None
    try:
        return finding.rule.fix(text, finding)
    except Exception:  # a fix that cannot be built is simply not offered
        log.exception("building the fix for %s failed", finding.code)
        return None
