"""Project review at scale (issue 13): facts for a ~1,000-file project cold and warm, one
edited file, the index's memory, and ML306 + ML601 on scikit-learn's examples as one project.

    .venv/bin/python bench/project_facts.py
"""

from __future__ import annotations

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
from mlreview.project.index import ProjectIndex  # noqa: E402

COPIES = 4  # 4 x 285 example scripts: a 1,140-file project


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
        scaling(project_tree(Path(folder)))
        sklearn_as_one_project(Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
