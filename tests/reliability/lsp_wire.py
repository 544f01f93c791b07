"""A minimal raw JSON-RPC client over the server's stdio, for tests that abuse the protocol
(malformed payloads, cancellation, bursts, a client that dies) where a polite client
library would refuse or hide what happens."""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path


class Wire:
    def __init__(self, cwd: Path, encodings: list[str] = ("utf-16",), init_options: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mlreview", "server"], cwd=cwd,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.ids = itertools.count(1)
        self.responses: dict[int, dict] = {}
        self.notifications: "queue.Queue[dict]" = queue.Queue()
        self.condition = threading.Condition()
        self.stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.process.stderr), daemon=True).start()
        capabilities = {
            "general": {"positionEncodings": list(encodings)},
            "textDocument": {"publishDiagnostics": {"versionSupport": True},
                             "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}},
            "workspace": {"applyEdit": True, "configuration": False},
        }
        result = self.request("initialize", {"processId": None, "rootUri": cwd.as_uri(), "capabilities": capabilities,
                                             "initializationOptions": init_options or {"debounce": 0}})
        self.encoding = result["capabilities"].get("positionEncoding", "utf-16")
        self.notify("initialized", {})

    # ----- framing ----------------------------------------------------------------------

    def send(self, message: dict) -> None:
        body = json.dumps(dict(message, jsonrpc="2.0")).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # the server asks us something
                self.send({"id": message["id"], "result": self._answer(message)})
            elif "id" in message:
                with self.condition:
                    self.responses[message["id"]] = message
                    self.condition.notify_all()
            else:
                self.notifications.put(message)

    @staticmethod
    def _answer(message: dict):
        if message["method"] == "workspace/configuration":
            return [None] * len(message["params"]["items"])
        if message["method"] == "workspace/applyEdit":
            return {"applied": False}
        return None

    # ----- requests and notifications -------------------------------------------------------

    def request_async(self, method: str, params) -> int:
        request_id = next(self.ids)
        self.send({"id": request_id, "method": method, "params": params})
        return request_id

    def response(self, request_id: int, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        with self.condition:
            while request_id not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise TimeoutError(f"no response to request {request_id} (server alive: "
                                       f"{self.process.poll() is None})")
                self.condition.wait(min(left, 0.1))
            return self.responses.pop(request_id)

    def request(self, method: str, params, timeout: float = 10.0):
        reply = self.response(self.request_async(method, params), timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 10.0) -> list[dict]:
        """The next published diagnostics for `uri` (of `version`, when given)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.notifications.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise TimeoutError(f"no diagnostics for {uri} version {version}") from None
            if message.get("method") != "textDocument/publishDiagnostics":
                continue
            params = message["params"]
            if params["uri"] == uri and (version is None or params.get("version") == version):
                return params["diagnostics"]

    def drain(self) -> list[dict]:
        messages = []
        while not self.notifications.empty():
            messages.append(self.notifications.get_nowait())
        return messages

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.request("shutdown", None, timeout=5)
                self.notify("exit", None)
                self.process.wait(timeout=5)
            except Exception:
                self.process.kill()
                self.process.wait()
