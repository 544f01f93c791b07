"""A bundle whose libcst lacks its compiled parser (another platform's, another Python's):
findings still arrive, and no fix is offered that would then fail to build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import libcst
import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig

from .conftest import Doc, server_command, start

SPLIT = (
    "from sklearn.model_selection import train_test_split\n"
    "\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
)


def libcst_without_native(into: Path) -> Path:
    """A copy of the installed libcst minus its compiled modules, as a PYTHONPATH entry."""
    source = Path(libcst.__file__).parent
    shutil.copytree(source, into / "libcst", ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    return into


@pytest.fixture(scope="module")
def pythonpath(tmp_path_factory) -> str:
    return str(libcst_without_native(tmp_path_factory.mktemp("no-native")))


@pytest_asyncio.fixture
async def degraded_client(tmp_path: Path, pythonpath: str):
    config = ClientServerConfig(server_command=server_command(),
                                server_env={**os.environ, "PYTHONPATH": pythonpath})
    client = await config.start()
    await start(client, "visual-studio-code", tmp_path, None)
    client.root = tmp_path
    yield client
    await client.shutdown_session()
    await client.stop()


def test_the_copy_really_lacks_the_parser(pythonpath):
    probe = subprocess.run([sys.executable, "-c", "import libcst; print(libcst.__file__); from libcst import native"],
                           env={**os.environ, "PYTHONPATH": pythonpath}, capture_output=True, text=True)
    assert probe.stdout.startswith(pythonpath)
    assert "ImportError" in probe.stderr


async def test_findings_arrive_and_no_fix_is_offered(degraded_client):
    doc = Doc(degraded_client, "train.py", SPLIT)
    [diag] = [d for d in await doc.diagnostics() if d.code == "ML101"]
    result = await degraded_client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))
    titles = [action.title for action in result or []]
    assert titles == ["Ignore ML101 on this line"]  # the noqa edit needs no parser


async def test_fix_all_command_applies_nothing(degraded_client):
    doc = Doc(degraded_client, "train.py", SPLIT)
    await doc.diagnostics()
    result = await degraded_client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="mlreview.fixAll", arguments=[doc.uri]))
    assert result == {"applied": False}
    assert degraded_client.applied_edits == []
