"""The library versions installed in the interpreter the editor uses (the `interpreter`
setting a VS Code-style client sends: the Python extension's selected environment, as in
ruff-vscode and Microsoft's python-tools-extension-template).

The interpreter runs once per command with a tiny `importlib.metadata` script, in a
background thread, with a timeout; its answer is cached. Anything that goes wrong (no such
interpreter, a timeout, output that is not JSON) leaves the versions unknown.
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor

from ..facts.versions import VersionsBuilder
from ..model.versions import UNKNOWN, KnownVersions
from ..project.metadata import VERSIONED

log = logging.getLogger("mlreview.lsp")
TIMEOUT = 15.0  # seconds: a conda or a cold network drive can be slow to start
PROBE = """\
import json, sys
from importlib import metadata
found = {}
for name in json.loads(sys.argv[1]):
    try:
        found[name] = metadata.version(name)
    except Exception:
        pass
print(json.dumps(found))
"""


def interpreter_command(raw) -> tuple[str, ...] | None:
    """The `interpreter` setting: a command and its leading arguments (`["conda", "run", "-n",
    "ml", "python"]`), or one path."""
    if isinstance(raw, str) and raw.strip():
        return (raw,)
    if isinstance(raw, list) and raw and all(isinstance(part, str) for part in raw) and raw[0].strip():
        return tuple(raw)
    return None


def probe(command: tuple[str, ...]) -> KnownVersions:
    """Run the interpreter once: the installed versions of the libraries rules ask about."""
    try:
        # Run from a neutral folder: `-c` puts the working directory first on sys.path, where a
        # workspace folder named like a module (json/, importlib/) would shadow it.
        done = subprocess.run([*command, "-c", PROBE, json.dumps(sorted(VERSIONED))], capture_output=True,
                              text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False,
                              cwd=tempfile.gettempdir())
        found = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 and done.stdout else {}
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as exc:
        log.info("cannot read the installed versions of %s: %s", " ".join(command), exc)
        return UNKNOWN
    builder = VersionsBuilder()
    for name, version in found.items() if isinstance(found, dict) else ():
        if isinstance(name, str) and isinstance(version, str):
            builder.lock(name, version, f"installed in {command[-1]}")
    return builder.build()


class InstalledVersions:
    """The latest interpreter's versions; `UNKNOWN` until its probe has answered."""

    def __init__(self) -> None:
        self.command: tuple[str, ...] | None = None
        self.versions: KnownVersions = UNKNOWN
        self.cache: dict[tuple[str, ...], KnownVersions] = {}
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="mlreview-interpreter")

    def use(self, command: tuple[str, ...] | None, on_change) -> None:
        """Read `command`'s versions in the background; `on_change()` runs (in the worker
        thread) when they differ from the versions in use."""
        if command == self.command:
            return
        self.command = command
        if command is None or command in self.cache:
            self._settle(self.cache.get(command, UNKNOWN), on_change)
            return
        future: Future = self.executor.submit(probe, command)
        future.add_done_callback(lambda done: self._answered(command, done, on_change))

    def _answered(self, command, done: Future, on_change) -> None:
        versions = UNKNOWN if done.cancelled() or done.exception() else done.result()
        self.cache[command] = versions
        if command == self.command:  # not superseded by another interpreter meanwhile
            self._settle(versions, on_change)

    def _settle(self, versions: KnownVersions, on_change) -> None:
        if versions != self.versions:
            self.versions = versions
            on_change()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
