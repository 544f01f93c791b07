"""`mlreview report`: the project's review as a scorecard, one row per persona red flag (12)
and per principle (4), as data (JSON), markdown (PR comments, $GITHUB_STEP_SUMMARY) or one
self-contained HTML page (no network: inline CSS and SVG)."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..parse.source import InputError, decode_source, read_bytes
from ..rules.rule import PRINCIPLES

FINDING, EVIDENCE, NOT_APPLICABLE = "finding", "evidence found", "not applicable"


@dataclass(frozen=True)
class RedFlag:
    name: str
    rules: tuple[str, ...]  # codes or prefixes whose findings raise it
    evidence: tuple[str, ...]  # file facts showing the good practice
    applies_when: tuple[str, ...]  # file facts that make the flag relevant (none: any code)


RED_FLAGS = (
    RedFlag("no experiment tracking", ("ML601",), ("tracks",), ("trains",)),
    RedFlag("hardcoded hyperparameters", ("ML602",), (), ("trains",)),
    RedFlag("data leakage in preprocessing", ("ML2",), (), ("trains",)),
    RedFlag("no baseline comparison", ("ML307",), ("baseline",), ("evaluates",)),
    RedFlag("missing evaluation metrics", ("ML306",), ("evaluates",), ("trains",)),
    RedFlag("unversioned models or data", ("ML503", "ML504", "ML606"), ("versions_data",), ("saves", "reads_data")),
    RedFlag("no monitoring in production", ("ML507",), ("monitors",), ("serves",)),
    RedFlag("training-serving skew", ("ML505",), (), ("serves",)),
    RedFlag("no rollback capability", ("ML504",), (), ("saves",)),
    RedFlag("missing documentation", ("ML605",), ("documents",), ("saves",)),
    RedFlag("unhandled edge cases", ("ML4", "ML506"), (), ()),
    RedFlag("no bias/fairness evaluation", ("ML603",), ("per_group",), ("sensitive",)),
)
EVIDENCE_LIMIT = 5  # places listed per row; the counts say how many there are


class NotebookCells:
    """Turns a notebook's joined-module line (what findings and facts hold) into its cell and
    the row within that cell, as the CLI's text and JSON outputs show them."""

    def __init__(self, root: Path | None):
        self.root = root
        self.sources: dict[str, object] = {}

    def locate(self, path: str, line: int) -> tuple[int | None, int]:
        if self.root is None or not path.endswith(".ipynb"):
            return None, line
        if path not in self.sources:
            try:
                self.sources[path] = decode_source(read_bytes(self.root / path), notebook=True)
            except (InputError, OSError):
                self.sources[path] = None
        cell = self.sources[path].cell_at(line) if self.sources[path] is not None else None
        return (None, line) if cell is None else (cell.index, line - cell.first_line + 1)


def scorecard(project, findings: list[tuple[str, object]], registry) -> dict:
    """`findings`: (root-relative path, Finding) of every finding of the project, line and project scope."""
    cells = NotebookCells(project.root)

    def place(path: str, line: int, text: str) -> dict:
        cell, row = cells.locate(path, line)
        return {"file": path, "cell": cell, "line": row, "text": text}

    listed = [dict(place(path, f.span.line, f.message), code=f.code) for path, f in findings]
    rows = [red_flag_row(flag, project, listed, checked(flag, registry), place) for flag in RED_FLAGS]
    per_rule = Counter(item["code"] for item in listed)
    principles = []
    for principle in PRINCIPLES:
        codes = {rule.code for rule in registry if principle in rule.principle.split("/")}
        counts = {code: per_rule[code] for code in sorted(codes) if per_rule[code]}
        status = FINDING if counts else (EVIDENCE if project.files else NOT_APPLICABLE)
        principles.append({"principle": principle, "status": status, "findings": sum(counts.values()),
                           "rules": counts})
    return {"project": project.root.name if project.root else "", "files": len(project.files),
            "red_flags": rows, "principles": principles,
            "counts": {"rules": dict(sorted(per_rule.items())),
                       "principles": {p["principle"]: p["findings"] for p in principles}}}


def checked(flag: RedFlag, registry) -> bool:
    """`registry`: the rules the project's configuration selects (an opt-in rule left off checks nothing)."""
    return any(rule.code.startswith(flag.rules) for rule in registry)


def red_flag_row(flag: RedFlag, project, listed: list[dict], is_checked: bool, place) -> dict:
    if not is_checked:
        return {"red_flag": flag.name, "status": NOT_APPLICABLE, "rules": list(flag.rules), "findings": [],
                "evidence": [], "evidence_count": 0, "note": "no selected rule checks it"}
    found = [item for item in listed if item["code"].startswith(flag.rules)]
    evidence = [place(path, at.line, at.label) for fact in flag.evidence for path, at in project.where(fact)]
    evidence += metadata_evidence(flag, project, place)
    applies = not flag.applies_when and project.files or any(project.any(fact) for fact in flag.applies_when)
    if not evidence and applies and not found:  # reviewed and clean: show what was reviewed
        evidence = [place(path, at.line, f"reviewed: {at.label}") for fact in flag.applies_when
                    for path, at in project.where(fact)]
    status = FINDING if found else EVIDENCE if applies or evidence else NOT_APPLICABLE
    note = f"no finding in {len(project.files)} files" if status == EVIDENCE and not evidence else ""
    return {"red_flag": flag.name, "status": status, "rules": list(flag.rules), "findings": found,
            "evidence": evidence[:EVIDENCE_LIMIT], "evidence_count": len(evidence), "note": note}


def metadata_evidence(flag: RedFlag, project, place) -> list[dict]:
    meta = project.meta
    if flag.name == "missing documentation":
        return [place(path, 1, "model card") for path in meta.model_cards]
    if flag.name == "unversioned models or data":
        return [place(path, 1, "data versioning") for path in meta.dvc_files] + \
            [place(".gitattributes", 1, f"Git LFS: {pattern}") for pattern in meta.lfs_patterns]
    if flag.name == "no experiment tracking":
        return [place(path, 1, "DVC metrics") for path in meta.dvc_metrics]
    return []


# ----- markdown -------------------------------------------------------------------------

ICON = {FINDING: "❌", EVIDENCE: "✅", NOT_APPLICABLE: "➖"}


def where(item: dict) -> str:
    """`train.py:12`, or for a notebook `analysis.ipynb:cell 3:2` (the CLI's text output)."""
    return f"{item['file']}:" + (f"cell {item['cell']}:" if item.get("cell") else "") + str(item["line"])


def link(item: dict, base: str = "") -> str:
    """A link that opens the file (at the line, where a line means one in the file itself)."""
    target = item["file"] if item.get("cell") else f"{item['file']}#L{item['line']}"
    return f"[{where(item)}]({base}{target.replace(' ', '%20')})"


def to_markdown(card: dict, link_base: str = "") -> str:
    """`link_base` prefixes the root-relative links (the editor's preview wants `file:` URIs)."""
    lines = [f"## mlreview report: {card['project']} ({card['files']} files)", "", summary_line(card), "",
             "| Red flag | Status | Findings | Evidence |", "|---|---|---|---|"]
    for row in card["red_flags"]:
        findings = "<br>".join(f"{item['code']} {link(item, link_base)}" for item in row["findings"][:EVIDENCE_LIMIT])
        if len(row["findings"]) > EVIDENCE_LIMIT:
            findings += f"<br>… {len(row['findings']) - EVIDENCE_LIMIT} more"
        evidence = "<br>".join([f"{link(item, link_base)} {item['text']}" for item in row["evidence"]]
                               + [row["note"]] * bool(row["note"]))
        if row["evidence_count"] > len(row["evidence"]):
            evidence += f"<br>… {row['evidence_count'] - len(row['evidence'])} more"
        lines.append(f"| {row['red_flag']} | {ICON[row['status']]} {row['status']} | {findings} | {evidence} |")
    lines += ["", "| Principle | Status | Findings | Per rule |", "|---|---|---|---|"]
    for row in card["principles"]:
        per_rule = ", ".join(f"{code}: {count}" for code, count in row["rules"].items())
        lines.append(f"| {row['principle']} | {ICON[row['status']]} {row['status']} | {row['findings']} | {per_rule} |")
    return "\n".join(lines) + "\n"


def summary_line(card: dict) -> str:
    statuses = Counter(row["status"] for row in card["red_flags"])
    return (f"{statuses[FINDING]} red flags with findings, {statuses[EVIDENCE]} with evidence found, "
            f"{statuses[NOT_APPLICABLE]} not applicable. Findings per principle: "
            + ", ".join(f"{p} {n}" for p, n in card["counts"]["principles"].items()) + ".")


# ----- html ---------------------------------------------------------------------------------

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.finding{color:#b42318}.evidence{color:#1a7f37}.na{color:#6e7781}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600}
"""


def to_html(card: dict) -> str:
    rows = "".join(
        f"<tr class='red-flag'><td>{esc(row['red_flag'])}</td><td class='{css(row['status'])}'>{esc(row['status'])}</td>"
        f"<td>{places(row['findings'], True)}</td><td>{places(row['evidence'], False)}{esc(row['note'])}</td></tr>"
        for row in card["red_flags"])
    principles = "".join(
        f"<tr class='principle'><td>{esc(row['principle'])}</td><td class='{css(row['status'])}'>{esc(row['status'])}"
        f"</td><td>{row['findings']}</td></tr>" for row in card["principles"])
    charts = "".join(chart(row) for row in card["principles"])
    title = f"mlreview report: {esc(card['project'])}"
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{STYLE}</style></head><body><h1>{title}</h1><p>{card['files']} files reviewed.</p>"
            "<h2>Red flags</h2><table id='red-flags'><thead><tr><th>Red flag</th><th>Status</th><th>Findings</th>"
            f"<th>Evidence</th></tr></thead><tbody>{rows}</tbody></table>"
            "<h2>Principles</h2><table id='principles'><thead><tr><th>Principle</th><th>Status</th><th>Findings</th>"
            f"</tr></thead><tbody>{principles}</tbody></table><div class='charts'>{charts}</div></body></html>\n")


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def css(status: str) -> str:
    return {FINDING: "finding", EVIDENCE: "evidence", NOT_APPLICABLE: "na"}[status]


def places(items: list[dict], with_code: bool) -> str:
    shown = items[:EVIDENCE_LIMIT]
    text = "<br>".join((esc(item["code"]) + " " if with_code else "") + f"<code>{esc(where(item))}</code> "
                       + ("" if with_code else esc(item["text"])) for item in shown)
    return text + (f"<br>… {len(items) - len(shown)} more" if len(items) > len(shown) else "")


def chart(row: dict) -> str:
    """A horizontal bar per rule of the principle (inline SVG, no script)."""
    bars = row["rules"] or {"no findings": 0}
    top = max(bars.values()) or 1
    height = 22 * len(bars) + 10
    body = "".join(
        f"<text x='0' y='{22 * i + 20}' font-size='12'>{esc(code)}</text>"
        f"<rect x='90' y='{22 * i + 8}' width='{max(200 * count / top, 1):.1f}' height='14' fill='#cf222e'/>"
        f"<text x='{96 + 200 * count / top:.1f}' y='{22 * i + 20}' font-size='12'>{count}</text>"
        for i, (code, count) in enumerate(bars.items()))
    return (f"<figure><figcaption>{esc(row['principle'])}</figcaption><svg xmlns='http://www.w3.org/2000/svg' "
            f"width='330' height='{height}' role='img' aria-label='{esc(row['principle'])} findings per rule'>"
            f"{body}</svg></figure>")
