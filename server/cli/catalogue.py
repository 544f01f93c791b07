"""`mlreview rule`, `mlreview rules` and `mlreview docs`: all printed from the rule declarations."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..diagnostics import REGISTRY
from ..documentation import DOCS_DIR, rule_markdown, rule_url, rules_index_markdown, write_docs


def run_rule(args) -> int:
    rule = REGISTRY.get(args.code)
    if rule is None:
        print(f"mlreview: unknown rule '{args.code}' (see `mlreview rules`)", file=sys.stderr)
        return 2
    sys.stdout.write(rule_markdown(rule))
    return 0


def run_rules(args) -> int:
    rules = list(REGISTRY)
    if args.output_format == "json":
        json.dump([rule_summary(rule) for rule in rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(len(rule.name) for rule in rules)
    for rule in rules:
        fix = "fix" if rule.fix else "   "
        default = "default" if rule.on_by_default else "opt-in "
        print(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<11}  {default}  {fix}  "
              f"{rule.principle} / {rule.area}")
    return 0


def rule_summary(rule) -> dict:
    return {
        "code": rule.code, "name": rule.name, "severity": rule.severity.value,
        "principle": rule.principle, "area": rule.area, "red_flag": rule.red_flag,
        "summary": rule.summary, "fix": rule.fix_title if rule.fix else None, "url": rule_url(rule),
        "default": rule.on_by_default,
    }


def run_docs(args) -> int:
    """Regenerate the shipped markdown docs and the README's rule table."""
    if args.out:
        written = write_docs(list(REGISTRY), Path(args.out))
    else:
        written = regenerate_docs(Path.cwd() / "README.md")
    for path in written:
        print(path)
    return 0


def regenerate_docs(readme: Path) -> list[Path]:
    """Write the package's docs, and the rule table of `readme` when it has one."""
    written = write_docs(list(REGISTRY), DOCS_DIR)
    if readme.is_file() and README_START in readme.read_text("utf-8"):
        text = readme.read_text("utf-8")
        head, rest = text.split(README_START, 1)
        table = rules_index_markdown(list(REGISTRY)).replace("(rules/", "(server/docs/rules/")
        readme.write_text(head + README_START + table + README_END + rest.split(README_END, 1)[1], "utf-8")
        written.append(readme)
    return written


README_START, README_END = "<!-- rules:start -->\n", "<!-- rules:end -->"
