"""Output formats of `mlreview check`: text, json (ruff-shaped), sarif 2.1.0, github."""

from __future__ import annotations

import json
import os
import sys

from .. import __version__
from ..documentation import rule_markdown, rule_url
from ..fixes.api import build_fix
from ..parse.positions import Span
from ..parse.source import SourceText
from ..rules.findings import Finding, Severity

SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "note", Severity.HINT: "note"}
GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "notice", Severity.HINT: "notice"}


def emit(fmt: str, reports, fixing: bool = False, errors: int = 0, quiet: bool = False) -> None:
    """`quiet`: the findings only; only text output has anything else (its summary)."""
    if fmt == "text":
        emit_text(reports, fixing, errors, quiet)
    else:
        {"json": emit_json, "sarif": emit_sarif, "github": emit_github}[fmt](reports, fixing)


def located(source: SourceText, span: Span) -> tuple[int | None, Span]:
    """(cell index or None, span with rows relative to that cell)."""
    cell = source.cell_at(span.line)
    if cell is None:
        return None, span
    shift = cell.first_line - 1
    return cell.index, Span(span.line - shift, span.col, span.end_line - shift, span.end_col)


# ----- text ----------------------------------------------------------------------------


def emit_text(reports, fixing: bool, errors: int = 0, quiet: bool = False) -> None:
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    bold, red, reset = ("\033[1m", "\033[31m", "\033[0m") if colour else ("", "", "")
    total = fixable = fixed = 0
    for report in reports:
        fixed += report.fixed
        for finding in report.findings:
            cell, span = located(report.source, finding.span)
            where = f"{report.path}:" + (f"cell {cell}:" if cell else "") + f"{span.line}:{span.col + 1}:"
            can_fix = finding.fixable and (finding.code, finding.span) not in report.unfixable
            marker = " [*]" if can_fix else ""
            print(f"{bold}{where}{reset} {red}{finding.code}{reset}{marker} {finding.message}")
            total += 1
            fixable += can_fix
    if quiet:
        return
    summary = []
    if fixed:
        summary.append(f"Fixed {fixed} finding{'s' * (fixed != 1)}.")
    if total:
        summary.append(f"Found {total} finding{'s' * (total != 1)}"
                       + (f" ({fixable} fixable with `--fix`)." if fixable and not fixing else "."))
    elif not fixed and not errors:  # an input error is not a pass: stderr says what went wrong
        summary.append("All checks passed!")
    if summary:
        print("\n".join(summary))


# ----- json ----------------------------------------------------------------------------


def finding_json(report, finding: Finding) -> dict:
    cell, span = located(report.source, finding.span)
    return {
        "code": finding.code,
        "name": finding.rule.name,
        "message": finding.message,
        "severity": (finding.severity or finding.rule.severity).value,
        "principle": finding.rule.principle,
        "area": finding.rule.area,
        "filename": report.path,
        "cell": cell,
        "location": {"row": span.line, "column": span.col + 1},
        "end_location": {"row": span.end_line, "column": span.end_col + 1},
        "url": rule_url(finding.rule),
        "fix": report_fix(report, finding),
        "scope": finding.scope,
        **({"related": [related_json(report, related) for related in finding.related]} if finding.related else {}),
    }


def related_json(report, related) -> dict:
    """Another place of the finding: in the same file unless it names another one."""
    cell, span = located(report.source, related.span) if related.filename is None else (None, related.span)
    return {
        "filename": related.filename or report.path,
        "cell": cell,
        "location": {"row": span.line, "column": span.col + 1},
        "end_location": {"row": span.end_line, "column": span.end_col + 1},
        "message": related.message,
    }


def fix_key(finding: Finding) -> str:
    span = finding.span
    return json.dumps([finding.code, span.line, span.col, span.end_line, span.end_col, finding.message])


def report_fix(report, finding: Finding) -> dict | None:
    """The finding's fix as JSON, built once per report (or read back from the result cache)."""
    known = report.fixes
    key = fix_key(finding)
    if key not in known:
        known[key] = fix_json(report.source, finding)
    return known[key]


def fix_json(source: SourceText, finding: Finding) -> dict | None:
    fix = build_fix(source.text, finding) if finding.fixable else None
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        _, span = located(source, edit.span)
        edits.append({
            "content": edit.content,
            "location": {"row": span.line, "column": span.col + 1},
            "end_location": {"row": span.end_line, "column": span.end_col + 1},
        })
    return {"message": fix.message, "applicability": fix.applicability, "edits": edits}


def emit_json(reports, fixing: bool) -> None:
    items = [finding_json(report, f) for report in reports for f in report.findings]
    json.dump(items, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# ----- sarif ---------------------------------------------------------------------------


def emit_sarif(reports, fixing: bool) -> None:
    from ..diagnostics import REGISTRY

    rules = list(REGISTRY)
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for report in reports:
        for finding in report.findings:
            cell, span = located(report.source, finding.span)
            message = finding.message + (f" (cell {cell})" if cell else "")
            results.append({
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": SARIF_LEVEL[finding.severity or finding.rule.severity],
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": report.path.replace(os.sep, "/")},
                    "region": {"startLine": span.line, "startColumn": span.col + 1,
                               "endLine": span.end_line, "endColumn": span.end_col + 1},
                }}],
            })
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mlreview", "version": __version__, "informationUri": rule_url(rules[0]).rsplit("/rules/", 1)[0],
                "rules": [sarif_rule(rule) for rule in rules],
            }},
            "results": results,
        }],
    }
    json.dump(log, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def sarif_rule(rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.why, "markdown": rule_markdown(rule)},
        "helpUri": rule_url(rule),
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": {"principle": rule.principle, "area": rule.area, "red_flag": rule.red_flag,
                       "tags": [rule.principle, rule.area]},
    }


# ----- github --------------------------------------------------------------------------


def emit_github(reports, fixing: bool) -> None:
    for report in reports:
        for finding in report.findings:
            cell, span = located(report.source, finding.span)
            level = GITHUB_LEVEL[finding.severity or finding.rule.severity]
            title = f"{finding.code} {finding.rule.name}" + (f" (cell {cell})" if cell else "")
            print(f"::{level} file={escape_property(report.path)},line={span.line},col={span.col + 1},"
                  f"endLine={span.end_line},endColumn={span.end_col + 1},title={escape_property(title)}"
                  f"::{escape_data(finding.message)}")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
