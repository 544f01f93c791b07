"""The background project review over real LSP (stdio, pytest-lsp): project findings on their
anchor documents, open or not; refreshed when another file changes; `$/progress`; the
`mlreview.showReport` command."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from .conftest import Doc, diagnostics_when

FIRST = """\
from sklearn.svm import SVC
from sklearn.metrics import accuracy_score

clf = SVC().fit(X_train, y_train)
print(accuracy_score(y_test, clf.predict(X_test)))
"""
SECOND = """\
from sklearn.tree import DecisionTreeClassifier

DecisionTreeClassifier(random_state=0).fit(X, y)
"""


def write_project(client) -> None:
    (client.root / "pyproject.toml").write_text("[project]\nname = 'gallery'\n")
    (client.root / "a_first.py").write_text(FIRST)
    (client.root / "b_second.py").write_text(SECOND)


async def codes_when(client, uri: str, predicate, timeout: float = 30) -> list[str]:
    """The codes shown for `uri` once `predicate(codes)` holds (the review runs in the background)."""
    shown = await diagnostics_when(client, uri, lambda found: predicate([d.code for d in found]), timeout)
    return [d.code for d in shown]


@pytest.mark.asyncio
async def test_project_finding_on_an_unopened_anchor_then_gone_when_another_file_tracks(client):
    write_project(client)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(client.root / name).as_uri(), type=types.FileChangeType.Created)
        for name in ("pyproject.toml", "a_first.py", "b_second.py")]))
    anchor = (client.root / "a_first.py").as_uri()
    assert "ML601" in await codes_when(client, anchor, lambda codes: "ML601" in codes)
    second = Doc(client, "b_second.py", SECOND)
    own = [d.code for d in await second.diagnostics()]
    assert "ML601" not in own  # judged over the project, not this file
    parsed = await project_parsed(client)
    second.replace_all("import mlflow\n" + SECOND)  # unsaved: the review sees the editor's text
    assert "ML601" not in await codes_when(client, anchor, lambda codes: "ML601" not in codes)
    assert await project_parsed(client) == parsed  # the edited text's facts came from its analysis


async def project_parsed(client) -> int:
    result = await client.protocol.send_request_async("mlreview/stats", {})
    return result.projectParsed


@pytest.mark.asyncio
async def test_show_report_command_returns_the_markdown_scorecard(client):
    write_project(client)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(client.root / "a_first.py").as_uri(), type=types.FileChangeType.Created)]))
    await codes_when(client, (client.root / "a_first.py").as_uri(), lambda codes: "ML601" in codes)
    report = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="mlreview.showReport"))
    link = f"[a_first.py:4]({client.root.resolve().as_uri()}/a_first.py#L4)"  # opens from the editor's preview
    assert f"| no experiment tracking | ❌ finding | ML601 {link}" in report
    assert report.count("\n| ") >= 16


@pytest.mark.asyncio
async def test_progress_is_reported_while_reviewing(client):
    window = client.capabilities.window
    if not (window and window.work_done_progress):
        pytest.skip("the client does not support window/workDoneProgress")
    write_project(client)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(client.root / "a_first.py").as_uri(), type=types.FileChangeType.Created)]))
    await codes_when(client, (client.root / "a_first.py").as_uri(), lambda codes: "ML601" in codes)

    async def ended():  # every review that began has ended
        while not all(values and isinstance(values[-1], types.WorkDoneProgressEnd)
                      for values in client.progress_reports.values()):
            await asyncio.sleep(0.05)
    await asyncio.wait_for(ended(), 10)
    messages = [getattr(value, "message", None) for values in client.progress_reports.values() for value in values]
    assert any(m and m.startswith("Reviewing project: ") and m.endswith("/2 files") for m in messages), messages


@pytest.mark.asyncio
async def test_hover_on_a_project_finding_explains_the_project_scope(client):
    write_project(client)
    first = Doc(client, "a_first.py", FIRST)
    await codes_when(client, first.uri, lambda codes: "ML601" in codes)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=first.uri), position=types.Position(line=3, character=8)))
    assert "ML601 no-experiment-tracking" in hover.contents.value
    assert "Judged over the whole project" in hover.contents.value
