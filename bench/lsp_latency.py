"""Measure a language server over stdio, the way an editor drives it.

Generic: works with any LSP server command (mlreview, ruff, ...). It speaks
JSON-RPC with Content-Length framing itself, so it depends on nothing but the
standard library (and psutil for memory).

Three measurements:
  * time to first diagnostics: from spawning the process to the first
    textDocument/publishDiagnostics for a document opened right after
    `initialized` (start-up + initialize + first full analysis);
  * edit latency: single-character incremental didChange edits sent one at a
    time; each latency runs from sending the edit to receiving the
    publishDiagnostics that carries the edit's version;
  * peak RSS of the server (and its children) with many files open.

The client does NOT declare pull diagnostics (`textDocument.diagnostic`), so
servers that support both (ruff) push, as they do for most editors.

Ad-hoc use:  python bench/lsp_latency.py FILE -- ruff server
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import keyword
import math
import os
import random
import string
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

try:
    import psutil
except ImportError:  # memory numbers are skipped without it
    psutil = None

PUBLISH_DIAGNOSTICS = "textDocument/publishDiagnostics"
SYNC_FULL, SYNC_INCREMENTAL = 1, 2
DEFAULT_SEED = 1234


class ServerFailed(RuntimeError):
    """The server did not start, crashed, or stopped answering."""


# --------------------------------------------------------------------------
# JSON-RPC connection


@dataclass
class Published:
    """One publishDiagnostics notification, stamped when it was read."""

    uri: str
    version: int | None
    count: int
    received: float  # time.perf_counter()


class LspConnection:
    """A server subprocess and the JSON-RPC traffic with it."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path):
        self.process = process
        self.log_path = log_path
        self.published: list[Published] = []
        self._next_id = 0
        self._pending: dict[int, asyncio.Future] = {}
        self._waiters: list[tuple[Callable[[Published], bool], asyncio.Future]] = []
        self._reader = asyncio.create_task(self._read_loop())

    @classmethod
    async def spawn(cls, argv: list[str], cwd: Path, log_path: Path) -> "LspConnection":
        # stderr goes to a file: a full pipe nobody reads would block the server.
        with open(log_path, "wb") as log:
            try:
                process = await asyncio.create_subprocess_exec(
                    *argv,
                    cwd=cwd,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=log,
                )
            except OSError as exc:
                raise ServerFailed(f"cannot start {argv[0]!r}: {exc}") from exc
        return cls(process, log_path)

    def log_tail(self, lines: int = 8) -> str:
        try:
            text = self.log_path.read_text(errors="replace").strip()
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    async def request(self, method: str, params, timeout: float = 30.0):
        self._next_id += 1
        request_id = self._next_id
        future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        await self._write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError as exc:
            raise ServerFailed(f"no answer to {method} within {timeout:g} s") from exc
        finally:
            self._pending.pop(request_id, None)

    async def notify(self, method: str, params=None) -> None:
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        await self._write(message)

    async def next_diagnostics(self, uri: str, version: int | None, since: int,
                               timeout: float) -> Published | None:
        """The first publish for `uri` at index >= since that is for `version`.

        A publish without a version counts as the answer to the latest change
        (some servers do not send versions). None on timeout.
        """
        def answers(record: Published) -> bool:
            return record.uri == uri and (record.version is None or record.version == version)

        for record in self.published[since:]:
            if answers(record):
                return record
        waiter = (answers, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter[1], timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    async def close(self) -> None:
        """Polite shutdown/exit, then kill if the server lingers."""
        if self.process.returncode is None:
            try:
                await self.request("shutdown", None, timeout=5)
                await self.notify("exit")
                await asyncio.wait_for(self.process.wait(), 5)
            except (ServerFailed, asyncio.TimeoutError):
                pass
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        self._reader.cancel()

    async def _write(self, message: dict) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        try:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            await self.process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise ServerFailed(f"server exited ({self._exit_note()})") from exc

    def _exit_note(self) -> str:
        tail = self.log_tail()
        code = self.process.returncode
        return f"exit code {code}" + (f"; its stderr ends with:\n{tail}" if tail else "")

    async def _read_loop(self) -> None:
        try:
            while (body := await self._read_body()) is not None:
                # Stamp before decoding: our own JSON parsing (a few ms for a
                # big diagnostics list) is not the server's latency.
                received = time.perf_counter()
                self._dispatch(json.loads(body), received)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        # The server is gone: wake everybody who waits for it.
        await asyncio.sleep(0.05)  # let the exit code arrive for the message
        failure = ServerFailed(f"server closed its output ({self._exit_note()})")
        for future in list(self._pending.values()):
            if not future.done():
                future.set_exception(failure)

    async def _read_body(self) -> bytes | None:
        stdout = self.process.stdout
        length = None
        while True:
            line = await stdout.readline()
            if not line:
                return None  # end of stream
            if not line.strip():
                if length is None:
                    continue  # tolerate stray blank lines between messages
                break
            name, _, value = line.decode("ascii", "replace").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return await stdout.readexactly(length)

    def _dispatch(self, message: dict, received: float) -> None:
        if "method" in message:
            if "id" in message:
                self._answer_server_request(message)
            elif message["method"] == PUBLISH_DIAGNOSTICS:
                self._record(message.get("params") or {}, received)
            return  # logMessage, progress, telemetry: ignored
        future = self._pending.get(message.get("id"))
        if future is None or future.done():
            return
        if "error" in message:
            future.set_exception(ServerFailed(f"error response: {message['error']}"))
        else:
            future.set_result(message.get("result"))

    def _answer_server_request(self, message: dict) -> None:
        # We declare no capability that invites requests, but a server may
        # still ask (registerCapability, workDoneProgress/create, ...): an
        # unanswered request can stall it, so answer everything neutrally.
        result = None
        if message["method"] == "workspace/configuration":
            result = [None] * len((message.get("params") or {}).get("items", []))
        body = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _record(self, params: dict, received: float) -> None:
        record = Published(
            uri=params.get("uri", ""),
            version=params.get("version"),
            count=len(params.get("diagnostics") or []),
            received=received,
        )
        self.published.append(record)
        for answers, future in list(self._waiters):
            if not future.done() and answers(record):
                future.set_result(record)


# --------------------------------------------------------------------------
# Session: initialize + documents


def client_capabilities() -> dict:
    """A plain editor: push diagnostics with versions, utf-16 positions.

    Deliberately no `textDocument.diagnostic` (pull) and no
    `workspace.configuration`, so every server pushes and never waits on us.
    """
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "synchronization": {"dynamicRegistration": False, "didSave": False},
            "publishDiagnostics": {
                "relatedInformation": True,
                "versionSupport": True,
                "tagSupport": {"valueSet": [1, 2]},
                "codeDescriptionSupport": True,
                "dataSupport": True,
            },
        },
        "window": {"workDoneProgress": False},
    }


async def initialize(connection: LspConnection, workspace: Path,
                     init_options: dict | None = None, timeout: float = 30.0) -> int:
    """Run the initialize handshake; return the server's didChange sync kind."""
    result = await connection.request("initialize", {
        "processId": os.getpid(),
        "clientInfo": {"name": "mlreview-bench", "version": "1"},
        "rootUri": workspace.as_uri(),
        "workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}],
        "capabilities": client_capabilities(),
        "initializationOptions": init_options,
    }, timeout=timeout)
    await connection.notify("initialized", {})
    sync = ((result or {}).get("capabilities") or {}).get("textDocumentSync", SYNC_FULL)
    return sync.get("change", SYNC_FULL) if isinstance(sync, dict) else sync


class OpenDocument:
    """Our copy of a document's text, so edits can be sent and mirrored."""

    def __init__(self, path: Path, text: str):
        self.uri = path.as_uri()
        self.lines = text.split("\n")
        self.version = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def did_open(self) -> dict:
        return {"textDocument": {"uri": self.uri, "languageId": "python",
                                 "version": self.version, "text": self.text}}

    def insert(self, line: int, column: int, char: str, incremental: bool) -> dict:
        """Insert `char` at (line, column in code points); return didChange params."""
        before = self.lines[line]
        self.lines[line] = before[:column] + char + before[column:]
        self.version += 1
        if incremental:
            position = {"line": line, "character": utf16_length(before[:column])}
            change = {"range": {"start": position, "end": position}, "text": char}
        else:
            change = {"text": self.text}
        return {"textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [change]}


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def identifier_insertions(text: str, count: int, seed: int):
    """Yield (line, column, char): a letter typed inside an identifier.

    The file keeps parsing after every edit. That matters: if edits could
    break the syntax, they would accumulate (nobody fixes them), and a server
    whose parser stops at the first error would look fast while analysing
    almost nothing. Renaming identifiers still changes what a linter sees
    (undefined names, different calls), so servers must redo real work.
    The caller applies each edit before asking for the next one.
    """
    rng = random.Random(seed)
    spans = _identifier_spans(text)  # [line, start, end], kept up to date
    spans_on_line: dict[int, list[list[int]]] = {}
    for span in spans:
        spans_on_line.setdefault(span[0], []).append(span)
    for _ in range(count):
        span = rng.choice(spans)
        line, start, end = span
        column = rng.randint(start, end)
        yield line, column, rng.choice(string.ascii_lowercase)
        # The letter lands in this identifier: later ones on the line move right.
        for other in spans_on_line[line]:
            if other is span:
                other[2] += 1
            elif other[1] >= column:
                other[1] += 1
                other[2] += 1


def _identifier_spans(text: str) -> list[list[int]]:
    spans = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type != tokenize.NAME:
            continue
        if keyword.iskeyword(token.string) or keyword.issoftkeyword(token.string):
            continue  # `impxort` or `mxatch x:` would not parse
        (row, start), (_, end) = token.start, token.end
        spans.append([row - 1, start, end])
    return spans


def anywhere_insertions(text: str, count: int, seed: int):
    """Yield (line, column, char): a letter typed anywhere in a code line.

    Closer to raw typing, but the file soon stops parsing for good (see
    identifier_insertions). Never inside the indentation, which would only
    produce indentation errors.
    """
    rng = random.Random(seed)
    lines = text.split("\n")
    code_lines = [i for i, line in enumerate(lines)
                  if line.strip() and not line.lstrip().startswith("#")]
    for _ in range(count):
        line = rng.choice(code_lines)
        indent = len(lines[line]) - len(lines[line].lstrip())
        column = rng.randint(indent, len(lines[line]))
        char = rng.choice(string.ascii_lowercase)
        lines[line] = lines[line][:column] + char + lines[line][column:]
        yield line, column, char


EDIT_POSITIONS = {"identifiers": identifier_insertions, "anywhere": anywhere_insertions}


# --------------------------------------------------------------------------
# Measurements


@dataclass
class LatencyReport:
    lines: int
    first_diagnostics_s: float
    first_diagnostics_count: int
    latencies_ms: list[float] = field(default_factory=list)
    missed: int = 0  # edits whose diagnostics never came (within the timeout)

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


async def measure_edit_latency(argv: list[str], name: str, text: str, *,
                               edits: int = 200, seed: int = DEFAULT_SEED,
                               positions: str = "identifiers",
                               init_options: dict | None = None,
                               edit_timeout: float = 2.0,
                               populate: Callable[[Path], None] | None = None,
                               inspect: Callable[[Path], None] | None = None) -> LatencyReport:
    """Open one file, then time `edits` keystrokes one by one.

    `positions` picks where letters are typed: see EDIT_POSITIONS. `populate` fills the
    workspace before the server starts (a project for it to index while we type);
    `inspect` looks at the workspace after the typing, before the server stops.
    """
    insertions = EDIT_POSITIONS[positions](text.replace("\r\n", "\n"), edits, seed)
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as scratch:
        workspace, log_path = _make_workspace(Path(scratch))
        if populate is not None:
            populate(workspace)
        path = workspace / Path(name).name
        text = text.replace("\r\n", "\n")
        path.write_text(text, encoding="utf-8")

        spawned = time.perf_counter()
        connection = await LspConnection.spawn(argv, workspace, log_path)
        try:
            incremental = await initialize(connection, workspace, init_options) == SYNC_INCREMENTAL
            document = OpenDocument(path, text)
            first = await _open(connection, document, timeout=30.0)
            report = LatencyReport(lines=len(document.lines),
                                   first_diagnostics_s=first.received - spawned,
                                   first_diagnostics_count=first.count)
            await _type_edits(connection, document, report, insertions, incremental, edit_timeout)
            if inspect is not None:
                inspect(workspace)
            return report
        finally:
            await connection.close()


async def _open(connection: LspConnection, document: OpenDocument, timeout: float) -> Published:
    since = len(connection.published)
    await connection.notify("textDocument/didOpen", document.did_open())
    first = await connection.next_diagnostics(document.uri, document.version, since, timeout)
    if first is None:
        raise ServerFailed(f"no diagnostics for {document.uri} within {timeout:g} s of didOpen")
    return first


async def _type_edits(connection, document, report, insertions, incremental, edit_timeout):
    # A server that skips publishing for some versions would cost a timeout per
    # edit; stop after a few in a row rather than wait minutes.
    consecutive_misses = 0
    for line, column, char in insertions:
        params = document.insert(line, column, char, incremental)
        since = len(connection.published)
        sent = time.perf_counter()
        await connection.notify("textDocument/didChange", params)
        record = await connection.next_diagnostics(document.uri, document.version, since, edit_timeout)
        if record is None:
            report.missed += 1
            consecutive_misses += 1
            if consecutive_misses >= 5:
                raise ServerFailed("5 edits in a row got no diagnostics with their version")
            continue
        consecutive_misses = 0
        report.latencies_ms.append((record.received - sent) * 1000)


@dataclass
class MemoryReport:
    files: int
    peak_rss_bytes: int  # highest RSS seen, server + children
    settled_rss_bytes: int  # RSS once every file has its diagnostics
    all_diagnostics_s: float  # from the first didOpen to the last file's diagnostics


async def measure_peak_rss(argv: list[str], files: list[tuple[str, str]], *,
                           init_options: dict | None = None,
                           settle_s: float = 0.5) -> MemoryReport:
    """Open every file, wait for all their diagnostics, report memory."""
    if psutil is None:
        raise ServerFailed("psutil is not installed: pip install psutil")
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as scratch:
        workspace, log_path = _make_workspace(Path(scratch))
        documents = []
        for index, (name, text) in enumerate(files):
            # Prefix with the index: corpus files may share a base name.
            path = workspace / f"{index:02d}_{Path(name).name}"
            path.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
            documents.append(OpenDocument(path, path.read_text(encoding="utf-8")))

        connection = await LspConnection.spawn(argv, workspace, log_path)
        sampler = RssSampler(connection.process.pid)
        sampling = asyncio.create_task(sampler.run())
        try:
            await initialize(connection, workspace, init_options)
            started = time.perf_counter()
            since = len(connection.published)
            for document in documents:
                await connection.notify("textDocument/didOpen", document.did_open())
            for document in documents:
                if await connection.next_diagnostics(document.uri, 1, since, 60.0) is None:
                    raise ServerFailed(f"no diagnostics for {document.uri} within 60 s")
            all_done = time.perf_counter() - started
            await asyncio.sleep(settle_s)  # let deferred work (caches, threads) show up
            settled = sampler.current()
            return MemoryReport(len(documents), max(sampler.peak, sampler.high_water_mark()),
                                settled, all_done)
        finally:
            sampling.cancel()
            await connection.close()


class RssSampler:
    """Polls the RSS of a process tree; polling can miss a short spike, so the
    kernel's own high-water mark of the main process (VmHWM) is also read."""

    def __init__(self, pid: int, interval_s: float = 0.01):
        self.process = psutil.Process(pid)
        self.interval_s = interval_s
        self.peak = 0

    def current(self) -> int:
        try:
            tree = [self.process] + self.process.children(recursive=True)
        except psutil.Error:
            return 0
        total = 0
        for proc in tree:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass  # a child that just exited
        return total

    async def run(self) -> None:
        while True:
            self.peak = max(self.peak, self.current())
            await asyncio.sleep(self.interval_s)

    def high_water_mark(self) -> int:
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass  # not Linux, or already gone
        return 0


def _make_workspace(scratch: Path) -> tuple[Path, Path]:
    # The server's log lives outside the workspace it is told about.
    workspace = scratch / "workspace"
    workspace.mkdir()
    return workspace, scratch / "server.log"


# --------------------------------------------------------------------------
# Ad-hoc command line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="Python file to open and edit")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help="server command after --, e.g. -- ruff server")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--positions", choices=sorted(EDIT_POSITIONS), default="identifiers",
                        help="where letters are typed (default: inside identifiers)")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the server command after --")
    text = args.file.read_text(encoding="utf-8")
    try:
        report = asyncio.run(measure_edit_latency(command, args.file.name, text,
                                                  edits=args.edits, seed=args.seed,
                                                  positions=args.positions))
    except ServerFailed as exc:
        print(f"server failed: {exc}", file=sys.stderr)
        return 1
    print(f"{args.file} ({report.lines} lines), server: {' '.join(command)}")
    print(f"first diagnostics {report.first_diagnostics_s * 1000:.0f} ms "
          f"({report.first_diagnostics_count} diagnostics)")
    print(f"{len(report.latencies_ms)} edits: p50 {report.percentile(50):.1f} ms, "
          f"p95 {report.percentile(95):.1f} ms, max {max(report.latencies_ms, default=math.nan):.1f} ms"
          f", missed {report.missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
