"""Reading LSP messages from stdin: Content-Length framing, by a thread of its own.

Kept free of pygls so the early loop (early.py) reads with it before pygls is loaded.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
from collections.abc import Callable
from typing import BinaryIO

log = logging.getLogger("mlreview.lsp")

MAX_MESSAGE_BYTES = 256 * 1024 * 1024  # far above any real document (the CLI's cap is 20 MB)
# Searched, not matched: after a skipped body, its bytes and the next header share a line.
CONTENT_LENGTH = re.compile(rb"Content-Length:[ \t]*(\d+)[ \t]*\r?\n?$", re.IGNORECASE)
MAX_VERSION = 2**31 - 1  # LSP integers are 32-bit


def read_message(stream: BinaryIO) -> bytes | None:
    """The next message body; None at the end of input. A message whose declared
    length is over the limit is skipped (logged), and reading resumes at the next header."""
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return None
            if not line.strip():
                if length is not None:
                    break
                continue  # a blank line before any header
            if (match := CONTENT_LENGTH.search(line)) is not None:
                length = int(match.group(1))
        if length > MAX_MESSAGE_BYTES:
            log.error("skipped a message declaring Content-Length %d (more than %d bytes)", length, MAX_MESSAGE_BYTES)
            continue
        body = stream.read(length)
        if len(body) < length:
            return None  # the input ended inside the body
        return body


class Incoming:
    """Message bodies read from stdin by a thread of their own, in order, then None at the end
    of input: the early loop (early.py) takes them first, the full server's loop after it."""

    def __init__(self, stream: BinaryIO):
        self.queue: queue.Queue[bytes | None] = queue.Queue()
        # Called in the reading thread with each message (None: the end of input), once queued.
        self.arrived: Callable[[bytes | None], None] = lambda body: None
        threading.Thread(target=self._read, args=(stream,), name="mlreview-stdin", daemon=True).start()

    def _read(self, stream: BinaryIO) -> None:
        try:
            while (body := read_message(stream)) is not None:
                self.queue.put(body)
                self.arrived(body)
        except (OSError, ValueError):  # stdin closed under us: the same as its end
            log.exception("cannot read stdin")
        self.queue.put(None)
        self.arrived(None)

    def get(self, timeout: float | None = None) -> bytes | None:
        """The next body (None: the input ended); queue.Empty after `timeout` seconds."""
        return self.queue.get(timeout=timeout)

    def waiting(self) -> list[bytes | None]:
        """The messages read and not taken yet."""
        with self.queue.mutex:
            return list(self.queue.queue)
