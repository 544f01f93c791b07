"""Configuration: pyproject, editor settings on top, reloads, bad values, enable."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import Doc, fresh_diagnostics

SPLIT = (
    "from sklearn.model_selection import train_test_split\n"
    "\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
)


def ml101(diagnostics):
    return [d for d in diagnostics if d.code == "ML101"]


def configure(client, settings: dict) -> int:
    since = len(client.publish_log)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"mlreview": settings}))
    return since


async def test_pyproject_severity_then_editor_override(client):
    (client.root / "pyproject.toml").write_text('[tool.mlreview]\nseverity = { ML101 = "error" }\n')
    doc = Doc(client, "train.py", SPLIT)
    [diag] = ml101(await doc.diagnostics())
    assert diag.severity == types.DiagnosticSeverity.Error
    since = configure(client, {"debounce": 0, "severity": {"ML101": "hint"}})
    [diag] = ml101(await fresh_diagnostics(client, doc.uri, since))
    assert diag.severity == types.DiagnosticSeverity.Hint


async def test_config_file_change_is_reloaded(client):
    pyproject = client.root / "pyproject.toml"
    pyproject.write_text("[tool.mlreview]\nselect = ['ML']\n")
    doc = Doc(client, "train.py", SPLIT)
    assert ml101(await doc.diagnostics())
    pyproject.write_text("[tool.mlreview]\nignore = ['ML101']\n")
    since = len(client.publish_log)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]))
    assert ml101(await fresh_diagnostics(client, doc.uri, since)) == []


async def test_bad_configuration_shows_one_message_and_uses_defaults(client):
    (client.root / "pyproject.toml").write_text("[tool.mlreview]\nselect = 5\nseverity = { ML101 = 'loud' }\n")
    first = Doc(client, "a.py", SPLIT)
    second = Doc(client, "b.py", SPLIT)
    assert ml101(await first.diagnostics()) and ml101(await second.diagnostics())
    shown = [m for m in client.messages if "mlreview" in m.message]
    assert len(shown) == 1
    assert "'select'" in shown[0].message and "'severity'" in shown[0].message


async def test_enable_false_clears_and_true_restores(client):
    doc = Doc(client, "train.py", SPLIT)
    assert ml101(await doc.diagnostics())
    since = configure(client, {"debounce": 0, "enable": False})
    assert await fresh_diagnostics(client, doc.uri, since) == []
    since = configure(client, {"debounce": 0, "enable": True})
    assert ml101(await fresh_diagnostics(client, doc.uri, since))


@pytest.mark.init_options({"debounce": 0, "ignore": ["ML1"]})
async def test_initialization_options_apply(client):
    doc = Doc(client, "train.py", SPLIT)
    assert ml101(await doc.diagnostics()) == []


async def test_config_watcher_is_registered_when_the_client_allows(client):
    watched = client.capabilities.workspace.did_change_watched_files
    import asyncio
    # Registered once the full server has loaded (lsp/early.py), which a request forces.
    await client.workspace_execute_command_async(types.ExecuteCommandParams(command="mlreview.showReport"))
    await asyncio.sleep(0.3)
    registered = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert bool(registered) == bool(watched and watched.dynamic_registration)


UNSEEDED_DRAW = SPLIT + "import numpy as np\nnoise = np.random.rand(3)\n"


def codes(diagnostics) -> set:
    return {d.code for d in diagnostics}


async def test_an_opt_in_rule_reports_only_when_a_setting_names_it(client):
    doc = Doc(client, "train.py", UNSEEDED_DRAW)
    assert codes(await doc.diagnostics()) == {"ML101"}  # ML103 is off by default
    since = configure(client, {"debounce": 0, "extend-select": ["ML103"]})
    assert codes(await fresh_diagnostics(client, doc.uri, since)) == {"ML101", "ML103"}
    since = configure(client, {"debounce": 0, "select": ["ALL"]})  # ALL is the default selection
    assert codes(await fresh_diagnostics(client, doc.uri, since)) == {"ML101"}
    since = configure(client, {"debounce": 0, "select": ["ML1"]})  # naming the family turns it on
    assert codes(await fresh_diagnostics(client, doc.uri, since)) == {"ML101", "ML103"}
