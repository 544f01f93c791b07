"""The language server's garbage collection: young generations while typing, everything once typing pauses."""

from __future__ import annotations

import asyncio
import gc

from mlreview.lsp.documents import IdleCollector


def test_typing_collects_young_generations_and_a_pause_collects_everything():
    generations: list[int] = []

    def started(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    async def typing_then_pausing() -> None:
        collector = IdleCollector(every=3, idle_seconds=0.2)
        for _ in range(5):  # a burst of edits: one young collection at the third, no full one
            collector.analysed()
            await asyncio.sleep(0.01)
        assert generations == [1]
        await asyncio.sleep(0.5)  # typing paused
        assert generations == [1, 2]

    enabled = gc.isenabled()
    gc.disable()  # as in the server, which runs the collector itself
    gc.callbacks.append(started)
    try:
        asyncio.run(typing_then_pausing())
    finally:
        gc.callbacks.remove(started)
        if enabled:
            gc.enable()
