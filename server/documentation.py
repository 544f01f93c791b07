"""Rule documentation, generated from the rule declarations.

The same text serves `mlreview rule`, hovers, SARIF help and the markdown
shipped in server/docs/ (regenerate with `python -m mlreview docs`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from .rules.rule import PRINCIPLES, Rule

DOCS_DIR = Path(__file__).parent / "docs"

PRINCIPLE_TEXT = {
    "Reproducibility": "Anyone can re-run the pipeline and get the same data splits, the same "
    "model and the same numbers. It needs seeded randomness, preprocessing fitted only on "
    "training data, and evaluation that does not peek at the test set.",
    "Versioning": "Every model, data set and artifact that reaches production can be traced "
    "to the exact code, data and parameters that produced it, and rolled back.",
    "Monitoring": "Training runs and production predictions leave a record (metrics, inputs, "
    "outputs) so drift, skew and failures are seen before users see them.",
    "Explainability": "Decisions about a model rest on evidence: evaluation metrics, baselines "
    "and tracked experiments that explain why this model and not another.",
}


def docs_base(configured: str | None = None) -> str:
    """Where rule docs links point: a configured site, else the markdown shipped in the package."""
    return configured.rstrip("/") if configured else shipped_docs_uri()


@functools.cache
def shipped_docs_uri() -> str:
    """Asked for every diagnostic published: resolved once (the package does not move)."""
    return DOCS_DIR.resolve().as_uri()


def rule_url(rule: Rule, base: str | None = None) -> str:
    return f"{docs_base(base)}/rules/{rule.code}.md"


def principle_url(principle: str, base: str | None = None) -> str:
    return f"{docs_base(base)}/principles.md#{principle.split('/')[0].lower()}"


def fenced(code: str) -> str:
    return f"```python\n{code.rstrip()}\n```"


def rule_markdown(rule: Rule, base: str | None = None) -> str:
    """The full docs page of a rule, with ruff's headings."""
    parts = [
        f"# {rule.code} {rule.name}",
        "",
        f"**Principle:** {principle_links(rule, base)} · **Area:** {rule.area}"
        + (f" · **Red flag:** {rule.red_flag}" if rule.red_flag else "")
        + f" · **Default severity:** {rule.severity.value}",
        "",
        "## What it does",
        rule.summary,
        "",
        "## Why is this bad?",
        rule.why,
        "",
        *project_scope_note(rule),
        *opt_in_note(rule),
        *versions_note(rule),
        "## Example",
        fenced(rule.bad),
        "",
        "## Use instead",
        fenced(rule.good),
        "",
        "## Fix",
        f"{rule.fix_title} (quick fix available)." if rule.fix else "No automatic fix.",
        "",
        f"Suppress one finding with `# noqa: {rule.code}` on its line, or the whole file with "
        f"`# mlreview: noqa: {rule.code}`.",
    ]
    return "\n".join(parts) + "\n"


PROJECT_SCOPE_NOTE = (
    "**Scope: project.** The evidence may live in any file of the project (the folder under the "
    "nearest pyproject.toml, setup.cfg, setup.py or .git): the finding is reported once, on the first "
    "place that makes it true, with the other places as related locations. `project = false` in "
    "`[tool.mlreview]` (or `--no-project`) judges every file on its own."
)


def project_scope_note(rule: Rule) -> list[str]:
    return [PROJECT_SCOPE_NOTE, ""] if rule.scope == "project" else []


VERSIONS_NOTE = (
    "Versions are read from the project's files (`requirements*.txt`, `constraints*.txt`, `pyproject.toml` "
    "with its Poetry/PDM/uv tables, `Pipfile`, `environment.yml`, and the lock files `uv.lock`, "
    "`poetry.lock`, `pdm.lock`, `Pipfile.lock`, `conda-lock.yml`; a lock wins over a declared range). "
    "The language server also reads the versions installed in the editor's interpreter where the "
    "project declares nothing; the CLI reads only the project's files, so its output is the same on "
    "every machine."
)


def versions_note(rule: Rule) -> list[str]:
    return ["## Library versions", rule.versions, "", VERSIONS_NOTE, ""] if rule.versions else []


def opt_in_note(rule: Rule) -> list[str]:
    if rule.on_by_default:
        return []
    return [f"**Off by default (opt-in).** {rule.opt_in_reason} Turn it on with "
            f"`extend-select = [\"{rule.code}\"]` (or its family, `{rule.code[:3]}`) in `[tool.mlreview]`; "
            "`ALL` and `ML` select only the rules on by default.", ""]


def principle_links(rule: Rule, base: str | None) -> str:
    return " / ".join(f"[{p}]({principle_url(p, base)})" for p in rule.principle.split("/"))


def hover_markdown(rule: Rule, base: str | None = None) -> str:
    """What the editor shows on a finding, under the finding's message (which the editor
    shows itself): short, with links to the full docs."""
    flag = f" · red flag: *{rule.red_flag}*" if rule.red_flag else ""
    return "\n".join([
        f"**{rule.code} {rule.name}**",
        "",
        f"{principle_links(rule, base)} · {rule.area}{flag}",
        "",
        rule.why,
        "",
        *(["*Judged over the whole project: the evidence may live in another file.*", ""]
          if rule.scope == "project" else []),
        "Bad:",
        fenced(rule.bad),
        "Good:",
        fenced(rule.good),
        "",
        f"[Rule docs]({rule_url(rule, base)}) · [Principles]({principle_url(rule.principle, base)})",
    ])


def principles_markdown(rules: list[Rule]) -> str:
    lines = ["# The reviewer's principles", ""]
    for principle in PRINCIPLES:
        lines += [f"## {principle}", "", PRINCIPLE_TEXT[principle], "", "Rules:"]
        lines += [f"- [{r.code} {r.name}](rules/{r.code}.md)" for r in rules if principle in r.principle.split("/")]
        lines.append("")
    return "\n".join(lines)


def rules_index_markdown(rules: list[Rule]) -> str:
    lines = ["| Code | Name | Severity | Default | Principle | Area | Fix |", "|---|---|---|---|---|---|---|"]
    for r in rules:
        lines.append(f"| [{r.code}](rules/{r.code}.md) | {r.name} | {r.severity.value} "
                     f"| {'on' if r.on_by_default else 'opt-in'} | {r.principle} | {r.area} | {'yes' if r.fix else ''} |")
    return "\n".join(lines) + "\n"


def render_all(rules: list[Rule]) -> dict[str, str]:
    """Relative path -> content of every generated docs file (links relative, for shipping)."""
    files = {f"rules/{rule.code}.md": rule_markdown(rule, "..") for rule in rules}
    files["principles.md"] = principles_markdown(rules)
    files["index.md"] = "# mlreview rules\n\n" + rules_index_markdown(rules)
    return files


def write_docs(rules: list[Rule], folder: Path = DOCS_DIR) -> list[Path]:
    written = []
    for relative, content in render_all(rules).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
        written.append(path)
    return written
