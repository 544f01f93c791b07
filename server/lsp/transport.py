"""The stdio message loop: framing, malformed messages, and a prompt exit.

pygls's own loop drops what it cannot decode without a word: a request with bad
params (a negative position, null or a list) or one sent after `shutdown` never
gets a reply, a `Content-Length` of 10^12 makes it try to read a terabyte, a
`didChange` with a null version is discarded and the server's copy of the text
silently diverges from the client's. This loop answers every request (InvalidParams,
InvalidRequest), skips what it cannot frame and goes on, and exits without
waiting for an analysis in progress (it is cancelled): after `exit`, 0 if
`shutdown` came first and 1 if not (as LSP says); 0 when the client closes stdin.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from .framing import MAX_VERSION, Incoming

log = logging.getLogger("mlreview.lsp")


def dispatch(server: LanguageServer, body: bytes) -> None:
    """Decode one message and hand it to pygls; answer the requests pygls would drop."""
    protocol = server.protocol
    try:
        raw = json.loads(body)
    except ValueError as exc:
        reply_error(server, None, JsonRpcParseError(f"invalid JSON: {exc}"))
        return
    if not isinstance(raw, dict):
        reply_error(server, None, JsonRpcInvalidRequest("a message must be a JSON object"))
        return
    method = raw.get("method")
    is_request = "id" in raw and isinstance(method, str)
    if is_request and protocol._shutdown and method != types.EXIT:
        reply_error(server, raw["id"], JsonRpcInvalidRequest(f"{method}: the server is shutting down"))
        return
    if method == types.TEXT_DOCUMENT_DID_CHANGE:
        repair_version(server, raw.get("params"))
    try:
        message = protocol.structure_message(raw)
    except JsonRpcException as exc:
        if is_request:
            reply_error(server, raw["id"], exc if not isinstance(exc, JsonRpcInvalidParams)
                        else JsonRpcInvalidParams(f"{method}: invalid params"))
        else:
            log.warning("ignored %s: its params are invalid", method)
        return
    protocol.handle_message(message)


def repair_version(server: LanguageServer, params) -> None:
    """A didChange whose version is null or out of range would be dropped, leaving the
    server's text behind the client's: apply it, keeping the document's last version."""
    document = params.get("textDocument") if isinstance(params, dict) else None
    if not isinstance(document, dict):
        return
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and 0 <= version <= MAX_VERSION:
        return
    uri = document.get("uri")
    known = server.workspace.text_documents.get(uri) if isinstance(uri, str) else None
    kept = known.version if known is not None and known.version is not None else 0
    log.warning("didChange of %s has version %r: applied, the version stays %d", uri, version, kept)
    document["version"] = kept


def reply_error(server: LanguageServer, request_id, error: JsonRpcException) -> None:
    log.warning("request %r answered with an error: %s", request_id, error.message)
    server.protocol._send_response(request_id, error=error.to_response_error())


async def message_loop(server: LanguageServer, incoming: Incoming, first: bytes | None = None) -> None:
    loop = asyncio.get_running_loop()
    waiting = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlreview-incoming")
    body = first if first is not None else await loop.run_in_executor(waiting, incoming.get)
    while body is not None:
        try:
            dispatch(server, body)
        except Exception:  # a message must never take the server down
            log.exception("cannot handle a message")
        body = await loop.run_in_executor(waiting, incoming.get)


class ClosableStdoutWriter(StdoutWriter):
    """pygls closes the writer on `exit`; what is sent after that (a cancelled task's last
    progress report, the error report of that failed send, ...) is dropped. Otherwise each
    failed send reports its failure to the client, which fails again, and the process spins
    writing tracebacks instead of exiting."""

    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()

    def write(self, data: bytes) -> None:
        if not self.closed:
            super().write(data)


def serve_stdio(server: LanguageServer, on_exit: Callable[[], None], incoming: Incoming,
                first: bytes | None = None, on_start: Callable[[], None] = lambda: None) -> None:
    """Serve over stdin/stdout until `exit` or the end of input, then end the process
    at once: `on_exit` cancels the analyses, and no thread is waited for. `on_start` runs
    in the event loop first; `first` is the message to handle before the queued ones."""
    writer = ClosableStdoutWriter(sys.stdout.buffer)
    server.protocol.set_writer(writer)

    async def serve() -> None:
        on_start()
        await message_loop(server, incoming, first)

    code = 0
    try:
        asyncio.run(serve())
    except SystemExit as exc:  # the `exit` notification: pygls chose the code
        code = exc.code if isinstance(exc.code, int) else 1
    except BrokenPipeError:
        log.error("the connection to the client is lost")
        code = 1
    except KeyboardInterrupt:
        pass
    finally:
        on_exit()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # already closed by `exit`
                pass
        os._exit(code)
