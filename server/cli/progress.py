"""A progress line on stderr for long checks, only where a person watches (a terminal)."""

from __future__ import annotations

import sys
import time

SHOW_AFTER = 2.0  # seconds: shorter runs never show it
EVERY = 0.1  # seconds between redraws


class Progress:
    """`mlreview: checked 120/2,000 files` redrawn in place, then erased when the run ends.
    Off unless stderr is a terminal and the output is text (never in a pipe, a log or JSON)."""

    def __init__(self, total: int, output_format: str, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.enabled = output_format == "text" and total > 1 and is_terminal(self.stream)
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = False

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < SHOW_AFTER or (self.shown and now - self.drawn_at < EVERY):
            return
        self.drawn_at = now
        self.shown = True
        self.stream.write(f"\r\033[Kmlreview: checked {done:,}/{self.total:,} files")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
