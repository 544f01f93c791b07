"""How `mlreview check` scales: scikit-learn's examples copied 1, 10 and (optionally) 70 times.

    .venv/bin/python bench/scale.py [--copies 1,10] [--jobs N]

For each size: files, lines, wall time of a cold run (`--no-cache`), seconds per 100k lines
(linear growth keeps this flat) and the peak RSS of the largest process (wait4 counts the
workers the parent reaped). 70 copies is about
20,000 files and 3M lines: several minutes on two CPUs, so it is asked for explicitly
(`--copies 1,10,70`). Not a test: it prints and exits 0.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.corpus import sklearn_examples  # noqa: E402

MIB = 1024 * 1024
TARGET_RSS_MIB = 500


def synthetic_tree(corpus: Path, copies: int, into: Path) -> tuple[int, int]:
    """`copies` copies of the corpus side by side; (files, lines)."""
    files = lines = 0
    for number in range(copies):
        shutil.copytree(corpus, into / f"copy{number:02}")
    for path in into.rglob("*.py"):
        files += 1
        lines += path.read_bytes().count(b"\n")
    return files, lines


def measure(argv: list[str], cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak RSS in bytes of the largest process: the parent or a worker it reaped)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description="mlreview check on synthetic trees")
    parser.add_argument("--copies", default="1,10", help="comma-separated copy counts (70: ~3M lines)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for mlreview (default: its own)")
    args = parser.parse_args()
    corpus = sklearn_examples()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"mlreview check --no-cache on copies of {corpus.name} ({os.cpu_count()} CPUs)")
    print(f"    {'copies':>6}{'files':>8}{'lines':>11}{'wall':>10}{'s/100k lines':>14}{'peak RSS':>11}")
    for copies in [int(c) for c in args.copies.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
            tree = Path(scratch) / "tree"
            tree.mkdir()
            files, lines = synthetic_tree(corpus, copies, tree)
            argv = [sys.executable, "-m", "mlreview", "check", "--no-cache", "--exit-zero",
                    "--output-format", "json", *jobs, str(tree)]
            wall, peak = measure(argv, Path(scratch))
            per = wall / lines * 100_000
            flag = "" if peak / MIB <= TARGET_RSS_MIB else f"  (over {TARGET_RSS_MIB} MiB)"
            print(f"    {copies:>6}{files:>8,}{lines:>11,}{wall:>8.1f} s{per:>12.2f} s{peak / MIB:>7.0f} MiB{flag}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
