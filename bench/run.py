"""`make bench`: mlreview's speed and memory next to ruff's, on real ML code.

Prints numbers and the targets they are held to; it is not a test and always
exits 0. A server that fails to start is reported and skipped.

    .venv/bin/python bench/run.py [--edits 200] [--servers mlreview,ruff] [--no-cli]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run as a script: make `bench` importable

from bench.corpus import (  # noqa: E402
    CorpusUnavailable,
    concatenated_module,
    example_files,
    ml_script_300,
    sklearn_examples,
)
from bench.lsp_latency import (  # noqa: E402
    DEFAULT_SEED,
    EDIT_POSITIONS,
    LatencyReport,
    MemoryReport,
    ServerFailed,
    measure_edit_latency,
    measure_peak_rss,
)

MIB = 1024 * 1024
SMALL_FILE = Path("exercises/plot_cv_diabetes.py")  # 90 lines: what a pre-commit hook hands over
OPEN_FILES = 20
CLI_REPEATS = 3

# The language server's targets (issue 16; DESIGN.md: ruff is the bar).
TARGET_P95_RATIO_LARGE = 1.3  # p95 on the 4,000-line file <= 1.3x ruff's
TARGET_MAX_LARGE_MS = 100.0  # no pause while typing: the slowest edit on the 4,000-line file
TARGET_P95_SMALL_MS = 15.0  # p95 on the 300-line file
TARGET_FIRST_DIAGNOSTICS_S = 0.5
STARTUP_RUNS = 7  # start-up time is noisy: judge it by the median of several spawns
TARGET_RSS_MIB = 120


@dataclass
class Server:
    name: str
    argv: list[str]
    error: str | None = None  # set once it failed: later measurements skip it
    init_options: dict | None = None
    latency: dict[str, LatencyReport] = field(default_factory=dict)
    startups: list[float] = field(default_factory=list)  # spawn -> first diagnostics, one per spawn
    memory: MemoryReport | None = None


def find_ruff() -> str | None:
    # Prefer the ruff installed next to this interpreter (the venv's).
    beside = Path(sys.executable).parent / "ruff"
    return str(beside) if beside.exists() else shutil.which("ruff")


def make_servers(names: list[str]) -> list[Server]:
    known = {"mlreview": [sys.executable, "-m", "mlreview", "server"]}
    ruff = find_ruff()
    if ruff:
        known["ruff"] = [ruff, "server"]
    # ruff re-lints on every change; mlreview's debounce is turned off so both measure analysis.
    options = {"mlreview": {"debounce": 0}}
    servers = []
    for name in names:
        if name in known:
            servers.append(Server(name, known[name], init_options=options.get(name)))
        else:
            servers.append(Server(name, [], error=f"{name} is not installed"))
    return servers


def progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# (a) the CLI on the whole corpus


@dataclass
class CliRun:
    wall_s: float
    peak_rss: int  # bytes, from the kernel's accounting of the child
    exit_code: int
    findings: int | None  # None when the output was not a JSON list
    stderr: str


def run_measured(argv: list[str], cwd: Path) -> CliRun:
    """Run a command; wall time and exact peak RSS via wait4 (no polling)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        out.seek(0)
        err.seek(0)
        findings = count_json_findings(out.read())
        stderr = err.read().decode(errors="replace")
    # ru_maxrss is in KiB on Linux.
    return CliRun(wall, usage.ru_maxrss * 1024, process.returncode, findings, stderr)


def count_json_findings(output: bytes) -> int | None:
    try:
        findings = json.loads(output)
    except ValueError:
        return None
    return len(findings) if isinstance(findings, list) else None


def median_run(argv: list[str], cwd: Path, repeats: int) -> CliRun:
    runs = sorted((run_measured(argv, cwd) for _ in range(repeats)), key=lambda run: run.wall_s)
    middle = runs[len(runs) // 2]
    middle.peak_rss = max(run.peak_rss for run in runs)
    return middle


def measure_cli(corpus: Path, servers: list[Server]) -> list[tuple[str, CliRun | str]]:
    """mlreview check (and ruff check as a reference) on a copy of the corpus.

    The copy lives outside the repository so neither tool picks up the
    repository's own configuration (excludes, selections).
    """
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as scratch:
        folder = Path(scratch) / "examples"
        shutil.copytree(corpus, folder)
        small = Path(scratch) / "small" / SMALL_FILE.name
        small.parent.mkdir()
        shutil.copy(folder / SMALL_FILE, small)
        check = [sys.executable, "-m", "mlreview", "check", "--output-format", "json"]
        commands = {  # "warm" runs after "cold" has filled the cache
            "mlreview cold --jobs 1": [*check, "--no-cache", "--jobs", "1", str(folder)],
            "mlreview cold": [*check, "--no-cache", str(folder)],
            "mlreview warm": [*check, str(folder)],
            "mlreview small file": [*check, "--no-cache", str(small)],
        }
        ruff = find_ruff()
        if ruff and any(server.name == "ruff" for server in servers):
            ruff_check = [ruff, "check", "--select", "ALL", "--no-cache", "--exit-zero", "--output-format", "json"]
            commands["ruff --select ALL"] = [*ruff_check, str(folder)]
            commands["ruff small file"] = [*ruff_check, str(small)]
        run_measured(commands["mlreview warm"], Path(scratch))  # fills the cache the warm runs read
        for label, argv in commands.items():
            progress(f"{label} on the corpus ({CLI_REPEATS} runs)")
            run = median_run(argv, Path(scratch), CLI_REPEATS)
            # Exit status 1 means findings (CLI contract), but a crash exits 1 too:
            # only a JSON list on stdout tells the two apart.
            if run.exit_code not in (0, 1) or run.findings is None:
                tail = " / ".join(run.stderr.strip().splitlines()[-3:])
                rows.append((label, f"failed (exit code {run.exit_code}): {tail}"))
            else:
                rows.append((label, run))
    return rows


# --------------------------------------------------------------------------
# (b) editing latency and (c) memory, per server


async def measure_servers(servers: list[Server], files: dict[str, tuple[str, str]],
                          open_files: list[tuple[str, str]], edits: int, seed: int,
                          positions: str) -> None:
    for server in servers:
        for label, (name, text) in files.items():
            if server.error:
                break
            progress(f"{server.name}: {edits} edits on the {label} file")
            try:
                server.latency[label] = await measure_edit_latency(
                    server.argv, name, text, edits=edits, seed=seed, positions=positions,
                    init_options=server.init_options)
            except ServerFailed as exc:
                server.error = str(exc)
        if server.error:
            continue
        name, text = next(iter(files.values()))
        progress(f"{server.name}: {STARTUP_RUNS} spawns to first diagnostics")
        try:
            for _ in range(STARTUP_RUNS):
                report = await measure_edit_latency(server.argv, name, text, edits=0,
                                                    init_options=server.init_options)
                server.startups.append(report.first_diagnostics_s)
        except ServerFailed as exc:
            server.error = str(exc)
            continue
        progress(f"{server.name}: memory with {len(open_files)} files open")
        try:
            server.memory = await measure_peak_rss(server.argv, open_files, init_options=server.init_options)
        except ServerFailed as exc:
            server.error = str(exc)


# --------------------------------------------------------------------------
# Report


def ms(value: float) -> str:
    return f"{value:8.1f} ms"


def ratio(a: float, b: float) -> str:
    return f"{a / b:8.1f} x " if b > 0 else "       - x "


def print_cli(rows) -> None:
    print(f"\n(a) CLI on the whole corpus (median wall time of {CLI_REPEATS} runs, peak RSS)")
    print(f"    {'command':<26}{'wall':>10}{'peak RSS':>12}{'findings':>10}")
    for label, run in rows:
        if isinstance(run, str):
            print(f"    {label:<26}SKIPPED: {run}")
            continue
        findings = "?" if run.findings is None else f"{run.findings:,}"
        print(f"    {label:<26}{run.wall_s:>8.2f} s{run.peak_rss / MIB:>8.0f} MiB{findings:>10}")
    walls = {label: run.wall_s for label, run in rows if not isinstance(run, str)}
    ruff, ruff_small = walls.get("ruff --select ALL"), walls.get("ruff small file")
    if ruff:
        print("    targets (issue 16), as ratios to ruff --no-cache in this run:")
        for label, limit in (("mlreview cold", 3.0), ("mlreview warm", 1.0)):
            if label in walls:
                ratio = walls[label] / ruff
                print(f"    [{'PASS' if ratio <= limit else 'FAIL'}] {label:<22}{ratio:>6.1f}x ruff (<= {limit:g}x)")
    if "mlreview small file" in walls:
        small = walls["mlreview small file"]
        versus = f" ({small / ruff_small:.0f}x ruff)" if ruff_small else ""
        print(f"    [{'PASS' if small <= 0.1 else 'FAIL'}] small file {small * 1000:.0f} ms (<= 100 ms){versus}")


def print_latency(servers: list[Server], files: dict[str, tuple[str, str]], edits: int,
                  positions: str) -> None:
    print(f"\n(b) Editing: {edits} one-letter edits typed {positions_label(positions)}, each waited "
          "for (didChange -> publishDiagnostics of that version)")
    header = f"    {'file':<22}{'server':<10}{'first diag':>12}{'p50':>11}{'p95':>11}{'max':>11}{'missed':>8}"
    print(header)
    for label in files:
        reports = {s.name: s.latency[label] for s in servers if label in s.latency}
        for server in servers:
            report = server.latency.get(label)
            prefix = f"    {label:<22}{server.name:<10}"
            if report is None:
                print(f"{prefix}SKIPPED (see below)")
                continue
            worst = report.percentile(100)
            print(f"{prefix}{report.first_diagnostics_s:>10.2f} s"
                  f"{ms(report.percentile(50)):>11}{ms(report.percentile(95)):>11}{ms(worst):>11}"
                  f"{report.missed:>8}")
        if "mlreview" in reports and "ruff" in reports:
            ours, theirs = reports["mlreview"], reports["ruff"]
            print(f"    {label:<22}{'ratio':<10}"
                  f"{ratio(ours.first_diagnostics_s, theirs.first_diagnostics_s):>12}"
                  f"{ratio(ours.percentile(50), theirs.percentile(50)):>11}"
                  f"{ratio(ours.percentile(95), theirs.percentile(95)):>11}"
                  f"{ratio(ours.percentile(100), theirs.percentile(100)):>11}")


def positions_label(positions: str) -> str:
    return "inside identifiers" if positions == "identifiers" else "anywhere in code lines"


def print_memory(servers: list[Server]) -> None:
    print(f"\n(c) Memory with {OPEN_FILES} files open (the corpus's largest files)")
    print(f"    {'server':<10}{'peak RSS':>12}{'settled':>12}{'all diagnostics':>18}")
    for server in servers:
        memory = server.memory
        if memory is None:
            print(f"    {server.name:<10}SKIPPED (see below)")
            continue
        print(f"    {server.name:<10}{memory.peak_rss_bytes / MIB:>8.0f} MiB"
              f"{memory.settled_rss_bytes / MIB:>8.0f} MiB{memory.all_diagnostics_s:>16.2f} s")


def print_startups(servers: list[Server], small: str) -> None:
    print(f"\n(b') Start-up: spawn -> first diagnostics on the {small} file, {STARTUP_RUNS} spawns each")
    for server in servers:
        if server.startups:
            runs = sorted(server.startups)
            print(f"    {server.name:<10} median {statistics.median(runs):.2f} s   "
                  f"min {runs[0]:.2f} s   max {runs[-1]:.2f} s")


def print_targets(servers: list[Server], small: str, large: str) -> None:
    print("\nTargets for mlreview")
    by_name = {server.name: server for server in servers}
    ours, ruff = by_name.get("mlreview"), by_name.get("ruff")

    def verdict(ok: bool | None) -> str:
        return {True: "PASS", False: "FAIL", None: "SKIP"}[ok]

    def line(ok: bool | None, what: str, measured: str) -> None:
        print(f"    [{verdict(ok)}] {what:<46}{measured}")

    what = f"p95 on the {large} file <= {TARGET_P95_RATIO_LARGE:g}x ruff's"
    if ours and large in ours.latency and ruff and large in ruff.latency:
        p95, bar = ours.latency[large].percentile(95), ruff.latency[large].percentile(95)
        line(p95 <= TARGET_P95_RATIO_LARGE * bar, what, f"{p95:.1f} ms vs ruff {bar:.1f} ms ({p95 / bar:.1f}x)")
    else:
        line(None, what, "not measured")

    what = f"max on the {large} file <= {TARGET_MAX_LARGE_MS:g} ms"
    if ours and large in ours.latency:
        worst = ours.latency[large].percentile(100)
        line(worst <= TARGET_MAX_LARGE_MS, what, f"{worst:.1f} ms")
    else:
        line(None, what, "not measured")

    what = f"p95 on the {small} file < {TARGET_P95_SMALL_MS:g} ms"
    if ours and small in ours.latency:
        p95 = ours.latency[small].percentile(95)
        line(p95 < TARGET_P95_SMALL_MS, what, f"{p95:.1f} ms")
    else:
        line(None, what, "not measured")

    what = f"first diagnostics <= {TARGET_FIRST_DIAGNOSTICS_S * 1000:g} ms after spawn"
    if ours and ours.startups:
        median = statistics.median(ours.startups)
        line(median <= TARGET_FIRST_DIAGNOSTICS_S, what,
             f"{median * 1000:.0f} ms (median of {len(ours.startups)} spawns, "
             f"{min(ours.startups) * 1000:.0f}-{max(ours.startups) * 1000:.0f} ms)")
    else:
        line(None, what, "not measured")

    what = f"peak RSS with {OPEN_FILES} files open <= {TARGET_RSS_MIB} MiB"
    if ours and ours.memory:
        peak = ours.memory.peak_rss_bytes / MIB
        line(peak <= TARGET_RSS_MIB, what, f"{peak:.0f} MiB")
    else:
        line(None, what, "not measured")

    for server in servers:
        if server.error:
            print(f"\n{server.name} was skipped: {server.error}")


# --------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="mlreview benchmark (see bench/README.md)")
    parser.add_argument("--edits", type=int, default=200, help="edits per file (default 200)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed for edit positions")
    parser.add_argument("--positions", choices=sorted(EDIT_POSITIONS), default="identifiers",
                        help="where edits type letters (default: inside identifiers, so the "
                             "file keeps parsing)")
    parser.add_argument("--servers", default="mlreview,ruff", help="comma-separated servers to run")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI measurement")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    try:
        corpus = sklearn_examples()
    except CorpusUnavailable as exc:
        print(f"benchmark skipped: the corpus is unavailable: {exc}")
        return 0
    corpus_files = example_files()
    corpus_lines = sum(p.read_text(encoding="utf-8").count("\n") for p in corpus_files)

    small_name, small_text = ml_script_300()
    large_name, large_text = concatenated_module(4000)
    small = f"{small_text.count(chr(10)):,}-line"
    large = f"{large_text.count(chr(10)):,}-line"
    files = {small: (small_name, small_text), large: (large_name, large_text)}
    largest = sorted(corpus_files, key=lambda p: p.stat().st_size, reverse=True)[:OPEN_FILES]
    open_files = [(p.name, p.read_text(encoding="utf-8")) for p in largest]

    servers = make_servers([name.strip() for name in args.servers.split(",") if name.strip()])
    cli_rows = [] if args.no_cli else measure_cli(corpus, servers)
    asyncio.run(measure_servers(servers, files, open_files, args.edits, args.seed, args.positions))

    print(f"\nmlreview benchmark on scikit-learn 1.2.1's examples ({len(corpus_files)} files, "
          f"{corpus_lines:,} lines; {corpus})")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs; "
          f"{small} file = {small_name}, {large} file = {len(large_text) // 1024} KiB of "
          "whole example files concatenated")
    if cli_rows:
        print_cli(cli_rows)
    print_latency(servers, files, args.edits, args.positions)
    print_memory(servers)
    print_startups(servers, small)
    print_targets(servers, small, large)
    return 0


if __name__ == "__main__":
    sys.exit(main())
