"""Hover, code actions (quick fix, noqa, fix-all) with resolve, and the commands."""

from __future__ import annotations

import ast

import pytest
from lsprotocol import types

from .conftest import Doc, apply_text_edits

SPLIT = (
    "from sklearn.model_selection import train_test_split\n"
    "\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
)


async def finding(doc: Doc) -> types.Diagnostic:
    [diag] = [d for d in await doc.diagnostics() if d.code == "ML101"]
    return diag


async def actions_at(client, doc: Doc, diag: types.Diagnostic, only=None) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag], only=only)))
    return list(result or [])


async def test_hover_on_a_finding_explains_it(client):
    doc = Doc(client, "train.py", SPLIT)
    diag = await finding(doc)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=diag.range.start))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "ML101 split-without-seed" in hover.contents.value
    assert "Reproducibility" in hover.contents.value and "/rules/ML101.md" in hover.contents.value
    assert hover.range == diag.range


async def test_hover_elsewhere_is_empty(client):
    doc = Doc(client, "train.py", SPLIT)
    await finding(doc)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=types.Position(line=0, character=3)))
    assert hover is None


async def test_quick_fix_is_resolved_lazily_and_fixes_the_finding(client):
    doc = Doc(client, "train.py", SPLIT)
    diag = await finding(doc)
    actions = await actions_at(client, doc, diag)
    [fix] = [a for a in actions if a.title == "Add random_state=SEED"]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.edit is None  # both clients resolve: listing actions builds no edit
    resolved = await client.code_action_resolve_async(fix)
    fixed = apply_text_edits(doc.text, resolved.edit.changes[doc.uri])
    ast.parse(fixed)
    assert "random_state=SEED" in fixed and "SEED = " in fixed
    doc.replace_all(fixed)
    assert [d for d in await doc.diagnostics() if d.code == "ML101"] == []


async def test_without_resolve_support_edits_come_with_the_actions(eager_client):
    doc = Doc(eager_client, "train.py", SPLIT)
    diag = await finding(doc)
    actions = await actions_at(eager_client, doc, diag)
    [fix] = [a for a in actions if a.title == "Add random_state=SEED"]
    fixed = apply_text_edits(doc.text, fix.edit.changes[doc.uri])
    ast.parse(fixed)
    assert "random_state=SEED" in fixed
    [ignore] = [a for a in actions if a.title.startswith("Ignore ML101")]
    assert "# noqa: ML101" in apply_text_edits(doc.text, ignore.edit.changes[doc.uri])


async def test_noqa_action_silences_the_line(client):
    doc = Doc(client, "train.py", SPLIT)
    diag = await finding(doc)
    [noqa] = [a for a in await actions_at(client, doc, diag) if a.title == "Ignore ML101 on this line"]
    fixed = apply_text_edits(doc.text, noqa.edit.changes[doc.uri])
    assert fixed.splitlines()[2].endswith("train_test_split(X, y)  # noqa: ML101")
    doc.replace_all(fixed)
    assert [d for d in await doc.diagnostics() if d.code == "ML101"] == []


async def test_fix_all_source_action(client):
    doc = Doc(client, "train.py", SPLIT + "a, b = train_test_split(X)\n")
    diag = await finding_first(doc)
    actions = await actions_at(client, doc, diag, only=[types.CodeActionKind.SourceFixAll])
    [fix_all] = actions
    assert fix_all.kind == "source.fixAll.mlreview"
    resolved = await client.code_action_resolve_async(fix_all)
    fixed = apply_text_edits(doc.text, resolved.edit.changes[doc.uri])
    assert fixed.count("random_state=SEED") == 2
    ast.parse(fixed)


async def finding_first(doc: Doc) -> types.Diagnostic:
    return [d for d in await doc.diagnostics() if d.code == "ML101"][0]


async def test_fix_all_command_applies_the_edit(client):
    doc = Doc(client, "train.py", SPLIT)
    await finding(doc)
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="mlreview.fixAll", arguments=[doc.uri]))
    assert result["applied"]
    [edit] = client.applied_edits
    assert "random_state=SEED" in apply_text_edits(doc.text, edit.changes[doc.uri])


async def test_show_rule_command(client):
    markdown = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="mlreview.showRule", arguments=["ML101"]))
    assert markdown.startswith("# ML101 split-without-seed")


async def test_no_actions_away_from_findings(client):
    doc = Doc(client, "train.py", SPLIT)
    await finding(doc)
    line0 = types.Diagnostic(range=types.Range(start=types.Position(line=0, character=0),
                                               end=types.Position(line=0, character=1)), message="")
    assert [a for a in await actions_at(client, doc, line0) if a.kind == types.CodeActionKind.QuickFix] == []


TRAINS = SPLIT.replace("\n\n", "\nfrom sklearn.ensemble import RandomForestClassifier\n\n") + \
    "RandomForestClassifier(random_state=0).fit(X_train, y_train)\n" + \
    "from transformers import AutoModel\nbert = AutoModel.from_pretrained(\"org/name\")\n"


@pytest.mark.init_options({"debounce": 0, "extend-select": ["ML503"]})
async def test_diagnostic_data_names_only_what_resolve_reads(client):
    doc = Doc(client, "train.py", TRAINS)
    diagnostics = await doc.diagnostics()
    [split] = [d for d in diagnostics if d.code == "ML101"]
    assert split.data == {"code": "ML101", "span": [4, 35, 4, 57]}
    unfixable = [d for d in diagnostics if d.code == "ML503"]  # a rule without a fix
    assert unfixable and all(d.data is None for d in unfixable)


async def test_resolve_of_an_outdated_action_edits_nothing(client):
    doc = Doc(client, "train.py", SPLIT)
    diag = await finding(doc)
    [fix] = [a for a in await actions_at(client, doc, diag) if a.title == "Add random_state=SEED"]
    doc.change((0, 0), (0, 0), "import os\n")  # the finding moves down a line: the action names the old place
    assert [d.range.start.line for d in await doc.diagnostics() if d.code == "ML101"] == [3]
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is None
