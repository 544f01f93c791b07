"""End to end with a real third-party editor: headless Neovim is the LSP client.

Neovim opens a copy of a file with an ML101 finding, starts `python -m mlreview server`
over stdio, waits for the diagnostic, asks for code actions with the diagnostic as
Neovim 0.7 itself rebuilds it (only {code, data} survive from the LSP fields), resolves
the preferred quick fix if it comes without an edit, applies the edit with
`vim.lsp.util.apply_workspace_edit`, waits for the re-published diagnostics and stops
the server. The Lua side is tests/editor/lsp_quickfix.lua; it writes a JSON result
that these tests check against the engine's own fix of the same finding.

Debian 12 ships Neovim 0.7.2 (`apt-get install -y neovim`); the harness only uses
0.7 APIs, so newer versions work too.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mlreview.engine import analyse_text
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits

HERE = Path(__file__).parent
REPO = HERE.parent.parent
HARNESS = HERE / "lsp_quickfix.lua"
FIXTURES = HERE / "fixtures"
WAIT_MS = 20_000  # each wait inside Neovim
NVIM_TIMEOUT_S = 90  # the whole Neovim run: several waits, plus a margin

NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim (`nvim`) is not installed: apt-get install -y neovim")


def ml101_lines(text: str) -> list[int]:
    """1-based lines of the engine's ML101 findings in `text`."""
    return [f.span.line for f in analyse_text(text).findings if f.code == "ML101"]


def showcase_or_fixture() -> Path:
    """examples/train.py when it still has an ML101 finding, else the minimal fixture."""
    showcase = REPO / "examples" / "train.py"
    if showcase.exists() and ml101_lines(showcase.read_text(encoding="utf-8")):
        return showcase
    return FIXTURES / "split_without_seed.py"


def engine_fix(text: str, line: int) -> str:
    """The text after applying the engine's own fix of the ML101 finding on `line`."""
    [finding] = [f for f in analyse_text(text).findings if f.code == "ML101" and f.span.line == line]
    fix = build_fix(text, finding)
    assert fix is not None, f"the engine offers no fix for ML101 on line {line}"
    return apply_edits(text, fix.edits)


def read_log(path: str | None) -> str:
    if not path or not Path(path).exists():
        return "(no Neovim LSP log)"
    return Path(path).read_text(encoding="utf-8", errors="replace")[-20_000:]


def run_neovim(source: Path, tmp_path: Path) -> dict:
    """Run the harness on a copy of `source`; return its JSON result or fail with every log."""
    document = tmp_path / "project" / source.name
    document.parent.mkdir()
    shutil.copyfile(source, document)
    result_file = tmp_path / "result.json"
    config = {
        "cmd": [sys.executable, "-m", "mlreview", "server"],
        "init_options": {"debounce": 0},
        "root_dir": str(document.parent),
        "source": "mlreview",
        "code": "ML101",
        "result": str(result_file),
        "timeout_ms": WAIT_MS,
        "log_level": "debug",
    }
    config_file = tmp_path / "harness.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    # Keep Neovim's state, cache (where lsp.log goes) and config out of the user's home.
    env = {
        **os.environ,
        "NVIM_LSP_HARNESS": str(config_file),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    command = [NVIM, "--headless", "-n", "-i", "NONE", "-u", str(HARNESS), str(document)]
    try:
        process = subprocess.run(
            command, cwd=document.parent, env=env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=NVIM_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as timeout:
        log = read_log(str(tmp_path / "cache" / "nvim" / "lsp.log"))
        pytest.fail(f"Neovim did not finish within {NVIM_TIMEOUT_S} s\nstdout: {timeout.stdout}\n"
                    f"stderr: {timeout.stderr}\nlsp.log:\n{log}")

    result = json.loads(result_file.read_text(encoding="utf-8")) if result_file.exists() else {}
    if process.returncode != 0 or not result.get("ok"):
        shown = {k: v for k, v in result.items() if k not in ("publishes", "text", "error")}
        pytest.fail(
            f"Neovim's LSP run failed (exit {process.returncode}).\n"
            f"error: {result.get('error', '(no result written)')}\n"
            f"steps done: {result.get('steps')}\n"
            f"result: {json.dumps(shown, indent=1, ensure_ascii=False)[:8000]}\n"
            f"nvim stdout: {process.stdout}\nnvim stderr: {process.stderr}\n"
            f"lsp.log (server stderr is logged here):\n{read_log(result.get('log_path'))}"
        )
    result["original"] = source.read_text(encoding="utf-8")
    return result


def codes_on_line(diagnostics: list[dict], line0: int) -> list[str]:
    return [d["code"] for d in diagnostics if d.get("source") == "mlreview" and d["range"]["start"]["line"] == line0]


def ml101_count(diagnostics: list[dict]) -> int:
    return sum(1 for d in diagnostics if d.get("source") == "mlreview" and d["code"] == "ML101")


@pytest.mark.parametrize(
    "source",
    [showcase_or_fixture(), FIXTURES / "split_after_emoji.py"],
    ids=lambda path: path.name,
)
def test_neovim_applies_the_ml101_quick_fix(source: Path, tmp_path: Path):
    result = run_neovim(source, tmp_path)
    target = result["target"]
    line0 = target["range"]["start"]["line"]
    text = result["text"]

    # Neovim saw the engine's finding where the engine puts it.
    assert line0 + 1 in ml101_lines(result["original"])
    assert "ML101" in codes_on_line(result["diagnostics_before"], line0)

    # The quick fix, applied by Neovim's own LSP client, did what the engine's fix does.
    assert "random_state=SEED" in text
    assert "SEED = 42" in text
    ast.parse(text)
    assert text == engine_fix(result["original"], line0 + 1)

    # ...and the server re-checked the edited buffer: that split's ML101 is gone, the
    # others stay. `SEED = 42` went in above the split, which moved down accordingly.
    moved_line0 = line0 + len(text.splitlines()) - len(result["original"].splitlines())
    assert "ML101" not in codes_on_line(result["diagnostics_after"], moved_line0)
    assert ml101_count(result["diagnostics_after"]) == ml101_count(result["diagnostics_before"]) - 1

    assert result["server_exit"] == {"code": 0, "signal": 0}
    assert result["client_errors"] == []
    # Neovim logs every line the server writes to stderr as an ERROR: a clean session has none.
    log = Path(result["log_path"]).read_text(encoding="utf-8", errors="replace")
    assert [line for line in log.splitlines() if line.startswith("[ERROR]")] == []
