"""Background threads that give way to the keystroke path.

Python threads share one interpreter lock: a thread that imports pygls or computes project
facts takes it for long stretches (unmarshalling, compiling, walking trees), and a keystroke
analysed meanwhile took 3-5x longer. `giving_way` makes the calling thread pause at its next
function call while `quiet` is not set (a document is being analysed), unless it holds the import
machinery's lock or a module lock another thread waits for (an analysis that imported a
module while the loading thread paused in the middle of finding one waited 16 s); the wait is
bounded anyway, so another shared lock slows, never deadlocks.
"""

from __future__ import annotations

import _imp
import contextlib
import sys
import threading
from collections.abc import Iterator
from importlib import _bootstrap

PATIENCE = 0.2  # seconds a paused thread waits before it goes on regardless


def holds_imports(thread: int) -> bool:
    """Is the global import lock held (by anyone: the paused thread would keep it), or does a
    thread wait for a module lock `thread` holds (CPython records what blocked threads wait on)?"""
    if _imp.lock_held():
        return True
    blocked = getattr(_bootstrap, "_blocking_on", {})
    return any(getattr(lock, "owner", None) == thread for lock in list(blocked.values()))


@contextlib.contextmanager
def giving_way(quiet: threading.Event) -> Iterator[None]:
    me = threading.get_ident()

    def pause(frame, event, arg) -> None:
        if not quiet.is_set() and not holds_imports(me):
            quiet.wait(PATIENCE)

    sys.setprofile(pause)  # this thread only
    try:
        yield
    finally:
        sys.setprofile(None)
