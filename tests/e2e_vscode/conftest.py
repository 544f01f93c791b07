"""A real VS Code (code-server, driven through Debian's chromium by Playwright) with the
built .vsix installed, on a copy of examples/.

Installed by tests/e2e_vscode/install.sh; the .vsix is built by
client-vscode/scripts/ci.sh; both run by .ci/run, which then runs these tests with
MLREVIEW_E2E=1 (otherwise they are skipped). Locally:

    bash client-vscode/scripts/ci.sh && bash tests/e2e_vscode/install.sh
    MLREVIEW_E2E=1 .venv/bin/python -m pytest -v tests/e2e_vscode
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("E2E_CACHE", ROOT / ".e2e-cache"))
NODE24_BIN = CACHE / "node-24.22.3" / "bin"
CODE_SERVER = CACHE / "code-server-4.139.1" / "node_modules" / "code-server" / "out" / "node" / "entry.js"
ARTIFACTS = ROOT / "artifacts" / "e2e"
SPACED_FOLDER = "my project é"  # a space and a non-ASCII character: percent-encoded in URIs
START_TIMEOUT = 180  # seconds: code-server's first start on a loaded machine is slow


def vsix_path() -> Path:
    version = json.loads((ROOT / "client-vscode" / "package.json").read_text(encoding="utf-8"))["version"]
    return ROOT / "client-vscode" / f"mlreview-linux-x64-{version}.vsix"


def missing_pieces() -> list[str]:
    missing = [str(p) for p in (NODE24_BIN / "node", CODE_SERVER, vsix_path()) if not p.exists()]
    if shutil.which("chromium") is None:
        missing.append("chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright")
    return missing


def pytest_collection_modifyitems(config, items):
    """Only .ci/run (MLREVIEW_E2E=1, after install.sh and the .vsix build) runs these:
    a stale .vsix from an earlier build must not be tested by `make test`."""
    if os.environ.get("MLREVIEW_E2E") == "1":
        missing = missing_pieces()
        if missing:
            raise pytest.UsageError(f"MLREVIEW_E2E=1 but the VS Code e2e test lacks {missing}")
        return
    skip = pytest.mark.skip(reason="the real VS Code test runs with MLREVIEW_E2E=1 (.ci/run)")
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(skip)


def code_server_command(user_data: Path, extensions: Path, *args: str) -> list[str]:
    return [str(NODE24_BIN / "node"), str(CODE_SERVER), "--user-data-dir", str(user_data),
            "--extensions-dir", str(extensions), *args]


def code_server_env() -> dict[str, str]:
    # The bundled server runs on `python3` from PATH: the system's, as a user's would.
    return {**os.environ, "PATH": f"{NODE24_BIN}:{os.environ['PATH']}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"code-server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"code-server did not answer in {START_TIMEOUT}s:\n{log.read_text(errors='replace')}")


USER_SETTINGS = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "security.workspace.trust.enabled": False,
    "extensions.autoUpdate": False,
    "extensions.autoCheckUpdates": False,
    "telemetry.telemetryLevel": "off",
    "editor.codeActionsOnSave": {"source.fixAll.mlreview": "explicit"},
    # The default 750 ms is shorter than a fix-all on a loaded CI machine.
    "editor.codeActionsOnSaveTimeout": 60000,
    "files.autoSave": "off",
    "notebook.codeActionsOnSave": {},
    "git.enabled": False,
    # Traces must show from this setting alone (their own channel, no log level to raise).
    "mlreview.trace.server": "verbose",
}


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    """A copy of examples/, plus a copy of train.py in a folder named with a space and é."""
    root = tmp_path_factory.mktemp("e2e") / "examples"
    shutil.copytree(ROOT / "examples", root)
    (root / SPACED_FOLDER).mkdir()
    shutil.copy(ROOT / "examples" / "train.py", root / SPACED_FOLDER / "train.py")
    return root


@pytest.fixture(scope="session")
def code_server_home(tmp_path_factory) -> Path:
    """code-server's throwaway folders: user-data/ (settings, logs) and extensions/."""
    return tmp_path_factory.mktemp("code-server")


@pytest.fixture(scope="session")
def code_server(workspace: Path, code_server_home: Path) -> Iterator[str]:
    """The URL of a code-server with the .vsix installed and `workspace` open."""
    home = code_server_home
    user_data, extensions = home / "user-data", home / "extensions"
    (user_data / "User").mkdir(parents=True)
    (user_data / "User" / "settings.json").write_text(json.dumps(USER_SETTINGS, indent=2), encoding="utf-8")
    env = code_server_env()
    subprocess.run(code_server_command(user_data, extensions, "--install-extension", str(vsix_path())),
                   env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "code-server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            code_server_command(user_data, extensions, "--bind-addr", f"127.0.0.1:{port}", "--auth", "none",
                                "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
                                "--disable-getting-started-override", str(workspace)),
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # What the extension logged, for a failing run's post-mortem.
        for channel in user_data.glob("logs/**/*mlreview*.log"):
            shutil.copy(channel, ARTIFACTS / channel.name)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright's own browser download is unreachable: Debian's chromium instead.
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def workbench(browser, code_server: str, workspace: Path):
    from .workbench import Workbench

    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    bench = Workbench(page, code_server, workspace, ARTIFACTS)
    bench.open()
    yield bench
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.call_failed = report.failed


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):
    yield
    if getattr(request.node, "call_failed", False) and "workbench" in request.fixturenames:
        request.getfixturevalue("workbench").screenshot(f"FAILED-{request.node.name}")
