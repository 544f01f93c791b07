"""Background threads (pygls loading, the project review) give way to document analyses."""

from __future__ import annotations

import threading
import time

from mlreview.lsp.yielding import giving_way


def test_a_background_thread_pauses_while_a_document_is_analysed_and_goes_on_after():
    quiet = threading.Event()  # not set: a document is being analysed
    steps: list[int] = []

    def step(number: int) -> None:
        steps.append(number)

    def background() -> None:
        with giving_way(quiet):
            for number in range(1000):
                step(number)

    worker = threading.Thread(target=background)
    worker.start()
    time.sleep(0.5)
    during = len(steps)  # each call waits (at most 0.2 s) for the analysis to end
    quiet.set()
    worker.join(10)
    assert during <= 5
    assert steps == list(range(1000))


def test_a_thread_that_is_not_giving_way_is_not_slowed():
    quiet = threading.Event()
    with giving_way(quiet):
        pass  # the hook is removed on leaving
    started = time.monotonic()
    for _ in range(100):
        len([])
    assert time.monotonic() - started < 0.2  # 100 calls, none of them waiting 0.2 s
