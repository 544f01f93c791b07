"""Cancelling an analysis from another thread (the server is exiting, a newer version came).

The analysis checks its `Cancellation` at safe points: before parsing, between rules and
their findings, and between the chunks of the data-flow walk (the longest stage on a
large file).
"""

from __future__ import annotations

import threading


class AnalysisCancelled(Exception):
    """The analysis was cancelled before it finished; it has no result."""


class Cancellation:
    """A flag another thread sets; the analysis checks it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise AnalysisCancelled()


NEVER = Cancellation()  # never set: the CLI's analyses
