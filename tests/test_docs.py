"""Docs are generated from the rule declarations: the shipped copies must be current."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlreview.diagnostics import REGISTRY
from mlreview.documentation import DOCS_DIR, hover_markdown, render_all, rules_index_markdown

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "regenerate with `python -m mlreview docs`"


@pytest.mark.parametrize("relative, content", sorted(render_all(list(REGISTRY)).items()))
def test_shipped_docs_are_current(relative, content):
    path = DOCS_DIR / relative
    assert path.is_file(), f"{relative} is missing: {REGENERATE}"
    assert path.read_text("utf-8") == content, f"{relative} is stale: {REGENERATE}"


def test_no_docs_for_rules_that_do_not_exist():
    shipped = {p.stem for p in (DOCS_DIR / "rules").glob("*.md")}
    assert shipped == {rule.code for rule in REGISTRY}


def test_readme_rule_table_is_current():
    readme = (ROOT / "README.md").read_text("utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == rules_index_markdown(list(REGISTRY)).replace("(rules/", "(server/docs/rules/"), \
        "README rule table is stale: regenerate with `python -m mlreview docs`"


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda rule: rule.code)
def test_every_rule_is_fully_declared(rule):
    assert rule.summary and rule.why and rule.bad and rule.good
    assert len(rule.why.split(". ")) >= 2 or len(rule.why) > 120, "why it matters: two or three sentences"
    assert (rule.fix is None) == (rule.fix_title is None), "a fix needs its title, and a title its fix"
    hover = hover_markdown(rule, "https://docs.example")
    assert rule.code in hover and rule.principle.split("/")[0] in hover and rule.area in hover
    assert "https://docs.example/rules/" in hover and "principles.md" in hover
