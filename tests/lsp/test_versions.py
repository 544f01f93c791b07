"""Version-aware findings over real LSP: the server runs the editor's interpreter (the
`interpreter` setting a VS Code-style client sends) once, reads its installed versions with
importlib.metadata, and refines what it published; the project's declared or locked versions
come first. The interpreter is this test's Python, run through `env` with a folder of
installed-package metadata on its path, as `conda run -n env python` would be."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import Doc, diagnostics_when, server_command, start

SOURCE = """\
import pickle, torch
model = pickle.load(fh)
state = torch.load("model.pt")
"""


def interpreter_with(site: Path, **installed: str) -> list[str]:
    """An interpreter command whose `importlib.metadata` sees these distributions installed."""
    for name, version in installed.items():
        info = site / f"{name}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return ["env", f"PYTHONPATH={site}", sys.executable]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=server_command()), params=["visual-studio-code", "neovim"])
async def editor(request, lsp_client: LanguageClient, tmp_path: Path):
    """A client whose test sets `lsp_client.start_with(installed, files)` before opening documents."""
    async def start_with(installed: dict[str, str], files: dict[str, str] | None = None,
                         interpreter: list[str] | None = None) -> None:
        root = tmp_path / "workspace"
        root.mkdir()
        for name, text in (files or {}).items():
            (root / name).write_text(text)
        options = {"debounce": 0, "extend-select": ["ML501"],  # off by default (opt-in)
                   "interpreter": interpreter or interpreter_with(tmp_path / "site", **installed)}
        await start(lsp_client, request.param, root, options)
        lsp_client.root = root
    lsp_client.start_with = start_with
    yield
    await lsp_client.shutdown_session()


async def torch_load_findings(client, uri: str, settled, timeout: float = 30) -> list[types.Diagnostic]:
    """ML501 findings on the `torch.load` line once `settled(findings)` holds; the `pickle.load`
    finding shows that the document was analysed."""
    def on_line_2(shown):
        return [d for d in shown if d.range.start.line == 2 and d.code == "ML501"]

    shown = await diagnostics_when(client, uri, lambda shown: any(d.range.start.line == 1 for d in shown)
                                   and settled(on_line_2(shown)), timeout)
    return on_line_2(shown)


@pytest.mark.asyncio
async def test_installed_torch_2_6_silences_torch_load(editor):
    await editor.start_with({"torch": "2.6.0"})
    doc = Doc(editor, "serve.py", SOURCE)
    assert await torch_load_findings(editor, doc.uri, lambda found: not found) == []


@pytest.mark.asyncio
async def test_installed_torch_2_5_is_named_in_the_finding(editor):
    await editor.start_with({"torch": "2.5.1"})
    doc = Doc(editor, "serve.py", SOURCE)
    [finding] = await torch_load_findings(editor, doc.uri, lambda found: found and "2.5.1" in found[0].message)
    assert "older than 2.6" in finding.message and "installed in" in finding.message
    assert finding.severity == types.DiagnosticSeverity.Warning  # certain: no longer the information of "unknown"


@pytest.mark.asyncio
async def test_declared_versions_come_before_the_installed_ones(editor):
    await editor.start_with({"torch": "2.6.0"}, {"pyproject.toml": "[project]\nname = 'p'\n",
                                                 "requirements.txt": "torch==2.5.1\n"})
    doc = Doc(editor, "serve.py", SOURCE)
    [finding] = await torch_load_findings(editor, doc.uri, lambda found: found and "2.5.1" in found[0].message)
    assert "requirements.txt" in finding.message


@pytest.mark.asyncio
async def test_an_interpreter_that_cannot_run_leaves_the_versions_unknown(editor):
    await editor.start_with({}, interpreter=["/nonexistent/mlreview-test/python"])
    doc = Doc(editor, "serve.py", SOURCE)
    [finding] = await torch_load_findings(editor, doc.uri, lambda found: bool(found))
    assert "torch < 2.6" in finding.message
    assert finding.severity == types.DiagnosticSeverity.Information


@pytest.mark.asyncio
async def test_declared_versions_are_read_without_the_project_review_too(editor):
    await editor.start_with({}, {"pyproject.toml": "[project]\nname = 'p'\n\n[tool.mlreview]\nproject = false\n",
                                 "requirements.txt": "torch==2.5.1\n"})
    doc = Doc(editor, "serve.py", SOURCE)
    [finding] = await torch_load_findings(editor, doc.uri, lambda found: found and "2.5.1" in found[0].message)
    assert "requirements.txt" in finding.message
