"""Project review at scale (issue 13): facts for a ~1,000-file project cold and warm, one
edited file, the index's memory, keystroke latency in the language server while it indexes
that project, and ML306 + ML601 on scikit-learn's examples as one project.

    .venv/bin/python bench/project_facts.py
"""

from __future__ import annotations

import asyncio
import gc
import json
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import sklearn_examples  # noqa: E402
from bench.lsp_latency import measure_edit_latency  # noqa: E402
from mlreview.project.index import ProjectIndex  # noqa: E402

COPIES = 4  # 4 x 285 example scripts: a 1,140-file project
SERVER = [sys.executable, "-m", "mlreview", "server"]
TYPED = Path(__file__).resolve().parent.parent / "examples" / "train.py"
EDITS = 100


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def project_tree(folder: Path) -> Path:
    root = folder / "project"
    for copy in range(COPIES):
        shutil.copytree(sklearn_examples(), root / f"copy{copy}")
    (root / "setup.cfg").write_text("[metadata]\nname = bench\n")
    return root


def scaling(root: Path) -> None:
    cold_index = ProjectIndex(root)
    project, cold = timed(cold_index.build)
    warm_index = ProjectIndex(root)  # a new process would read the same disk cache
    _, warm = timed(warm_index.build)
    edited = sorted((root / "copy0").rglob("*.py"))[0]
    edited.write_text(edited.read_text() + "\nimport mlflow\n")
    _, one = timed(warm_index.build)
    tracemalloc.start()  # the index as a server holds it: every file's facts, read back from the cache
    ProjectIndex(root).build()
    memory = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"project facts, {len(project.files)} files: cold {cold:.2f} s (target 10 s), warm {warm:.2f} s "
          f"(target 1 s), one file edited {one:.2f} s ({warm_index.computed} file recomputed), "
          f"index peak {memory:.1f} MB (target 50 MB)")


def keystroke_latency(project: Path) -> None:
    """Typing in examples/train.py, alone in its workspace, then at the root of the 1,140-file
    project while the server indexes it cold (no .mlreview_cache): the document's own
    diagnostics must not wait for the index."""
    moments = {}

    def with_project(workspace: Path) -> None:
        for child in project.iterdir():
            if child.name != ".mlreview_cache":
                (shutil.copytree if child.is_dir() else shutil.copy)(child, workspace / child.name)
        moments["start"] = time.time()

    def index_written(workspace: Path) -> None:
        moments["typed"] = time.time()
        cache = workspace / ".mlreview_cache"
        moments["indexed"] = max((f.stat().st_mtime for f in cache.glob("*")), default=None) if cache.is_dir() else None

    async def both():  # alone before and after: the machine's other load changes meanwhile
        text = TYPED.read_text(encoding="utf-8")
        before = await measure_edit_latency(SERVER, TYPED.name, text, edits=EDITS)
        indexing = await measure_edit_latency(SERVER, TYPED.name, text, edits=EDITS, populate=with_project,
                                              inspect=index_written)
        after = await measure_edit_latency(SERVER, TYPED.name, text, edits=EDITS)
        gc.collect()  # the subprocess transports go while their loop still runs
        return before, indexing, after

    before, indexing, after = asyncio.run(both())
    for name, report in (("alone", before), ("while indexing 1,140 files", indexing), ("alone again", after)):
        print(f"keystroke latency, {name}: p50 {report.percentile(50):.0f} ms, p95 {report.percentile(95):.0f} ms, "
              f"max {max(report.latencies_ms, default=0):.0f} ms over {len(report.latencies_ms)} edits "
              f"({report.missed} missed)")
    indexed = "not finished" if moments.get("indexed") is None else f"{moments['indexed'] - moments['start']:.1f} s"
    print(f"  (server started, index written after {indexed}, typing done after {moments['typed'] - moments['start']:.1f} s)")


def sklearn_as_one_project(folder: Path) -> None:
    root = folder / "sklearn"
    shutil.copytree(sklearn_examples(), root)
    (root / "setup.cfg").write_text("")
    counts = {}
    for mode in ([], ["--no-project"]):
        out = subprocess.run([sys.executable, "-m", "mlreview", "check", "--select", "ML306,ML601", "--no-cache",
                              "--output-format", "json", *mode, "."], cwd=root, capture_output=True, text=True)
        counts["file by file" if mode else "project"] = len(json.loads(out.stdout))
    print(f"ML306 + ML601 on scikit-learn's examples: {counts['project']} as one project "
          f"(target at most 2), {counts['file by file']} file by file")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        project = project_tree(Path(folder))
        scaling(project)
        keystroke_latency(project)
        sklearn_as_one_project(Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
