"""The language server's garbage collection: young generations while typing, everything once
typing pauses, and superseded versions freed without the collector."""

from __future__ import annotations

import asyncio
import gc
import weakref

from mlreview.engine import DocumentAnalyzer
from mlreview.lsp.documents import Analysis, IdleCollector, retire
from mlreview.parse.source import SourceText
from mlreview.rules.config import Settings


def test_typing_collects_young_generations_in_short_pauses_and_a_long_pause_collects_everything():
    generations: list[int] = []

    def started(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    async def typing_then_pausing() -> None:
        collector = IdleCollector(every=3, pause_seconds=0.1, idle_seconds=0.4)
        for _ in range(5):  # uninterrupted edits: one young collection at the third, no full one
            collector.analysed()
            await asyncio.sleep(0.01)
        assert generations == [1]
        await asyncio.sleep(0.2)  # a short pause: the young generations
        assert generations == [1, 1]
        collector.analysed()
        await asyncio.sleep(0.6)  # typing stopped: the young generations, then everything
        assert generations == [1, 1, 1, 2]

    enabled = gc.isenabled()
    gc.disable()  # as in the server, which runs the collector itself
    gc.callbacks.append(started)
    try:
        asyncio.run(typing_then_pausing())
    finally:
        gc.callbacks.remove(started)
        if enabled:
            gc.enable()


def test_a_superseded_version_is_freed_by_reference_counting():
    """Facts point back at their model: once a newer version replaced it, `retire` drops them
    and the old model goes at once, without waiting for (or costing) a cyclic collection."""
    text = "import numpy as np\nfrom sklearn.model_selection import train_test_split\n" + "".join(
        f"x{i} = np.zeros({i})\n" for i in range(50)) + "a, b = train_test_split(x1)\n"
    analyzer = DocumentAnalyzer("/tmp/train.py")
    enabled = gc.isenabled()
    gc.disable()
    try:
        old = analysis_of(analyzer.analyse(SourceText(text), Settings()))
        assert old.result.model.built_facts  # the rules built facts on it
        model = weakref.ref(old.result.model)
        analysis_of(analyzer.analyse(SourceText(text.replace("x1)", "x2)")), Settings()))
        retire(old)
        del old
        assert model() is None
    finally:
        if enabled:
            gc.enable()


def analysis_of(result) -> Analysis:
    return Analysis(snapshot=None, settings=Settings(), result=result, diagnostics={}, findings={})
