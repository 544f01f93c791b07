"""`make ecosystem`: mlreview over public ML repositories, compared with a triage.

    .venv/bin/python bench/ecosystem.py [--corpus DIR] [--check] [--only NAME ...]
                                        [--write-untriaged FILE] [--show N]

Runs `mlreview check --output-format json` in each restored repository of
bench/ecosystem/sources.toml (each repository is its own project) and compares the
findings with bench/ecosystem/triage.tsv, where a reviewer judged every finding TP, FP
or DEBATABLE. Prints, like ruff's ecosystem report: precision per rule
(TP / (TP + FP)), the DEBATABLE share, findings not triaged yet (new) and triaged
findings that no longer appear (vanished), and the corpus totals.

--check exits 1 when a default-selected rule is under MIN_PRECISION or over
MAX_DEBATABLE, or when a finding is untriaged. Without the corpus it says how to
restore it and exits 0 (CI cannot fetch it).
"""
from __future__ import annotations

import argparse
import csv
import functools
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "ecosystem"))  # run as a script: make restore importable

from restore import SOURCES, STAMP, Source, default_corpus, load_sources  # noqa: E402

TRIAGE = HERE / "ecosystem" / "triage.tsv"
TRIAGE_COLUMNS = ("repo", "path", "cell", "row", "code", "verdict", "reason")
VERDICTS = ("TP", "FP", "DEBATABLE")
MIN_PRECISION = 0.95
MAX_DEBATABLE = 0.10

# A finding's identity across runs: where it is and which rule (the triage's key).
Key = tuple[str, str, str, int, str]


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str


@dataclass
class RepoRun:
    source: Source
    findings: list[dict]
    seconds: float
    files: int
    lines: int
    notebooks: int
    input_errors: list[str]
    error: str


def finding_key(repo: str, finding: dict) -> Key:
    cell = finding.get("cell")
    return (repo, finding["filename"], "" if cell is None else str(cell),
            finding["location"]["row"], finding["code"])


def count_corpus(folder: Path) -> tuple[int, int, int]:
    """(files, lines of Python, notebooks) under folder: .py lines plus code-cell lines."""
    files = lines = notebooks = 0
    for path in folder.rglob("*"):
        if path.suffix not in (".py", ".ipynb") or not path.is_file():
            continue
        files += 1
        text = path.read_text("utf-8", errors="replace")
        if path.suffix == ".py":
            lines += text.count("\n") + (not text.endswith("\n") and bool(text))
            continue
        notebooks += 1
        lines += notebook_code_lines(text)
    return files, lines, notebooks


def notebook_code_lines(text: str) -> int:
    try:
        cells = json.loads(text).get("cells", [])
    except (json.JSONDecodeError, AttributeError):
        return 0
    total = 0
    for cell in cells:
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            total += len("".join(source).splitlines()) if isinstance(source, list) else len(source.splitlines())
    return total


@functools.cache
def uncached() -> tuple[str, ...]:
    """`--no-cache` where the CLI has a cache: its key is mlreview's version, which a
    development checkout does not bump, so cached results could hide a rule change."""
    help_text = subprocess.run([sys.executable, "-m", "mlreview", "check", "--help"],
                               capture_output=True, text=True).stdout
    return ("--no-cache",) if "--no-cache" in help_text else ()


def run_mlreview(folder: Path) -> tuple[list[dict], list[str], str]:
    """mlreview's JSON findings for one repository, run from its root, with every rule selected
    (the opt-in ones too: their precision is measured even though the gate skips them).

    Returns (findings, input errors, failure). Exit 2 with JSON on stdout means some
    files have syntax errors and the rest was checked: those errors are reported, not fatal.
    """
    command = [sys.executable, "-m", "mlreview", "check", "--output-format", "json", "--exit-zero",
               "--select", ",".join(default_selection()), *uncached(), "."]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    input_errors = [line for line in result.stderr.splitlines() if line.startswith("mlreview: ")]
    try:
        findings = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [], input_errors, f"exit {result.returncode}: {result.stderr.strip()[-300:]}"
    return findings, input_errors, ""


def run_repo(source: Source, corpus: Path) -> RepoRun:
    folder = corpus / source.folder_name
    started = time.perf_counter()
    findings, input_errors, error = run_mlreview(folder)
    seconds = time.perf_counter() - started
    return RepoRun(source, findings, seconds, *count_corpus(folder), input_errors, error)


def load_triage(path: Path) -> dict[Key, list[Verdict]]:
    """Triage rows by key; a key may repeat when one place has the same finding twice."""
    triage: dict[Key, list[Verdict]] = defaultdict(list)
    if not path.exists():
        return triage
    with path.open(newline="", encoding="utf-8") as handle:
        for line_number, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            if row["verdict"] not in VERDICTS:
                raise SystemExit(f"{path}:{line_number}: verdict must be one of {VERDICTS}, "
                                 f"not {row['verdict']!r}")
            key = (row["repo"], row["path"], row["cell"], int(row["row"]), row["code"])
            triage[key].append(Verdict(row["verdict"], row["reason"]))
    return triage


@functools.cache
def default_selection() -> dict[str, bool]:
    """Rule code -> on by default (a catalogue without that column: every rule is)."""
    listing = subprocess.run([sys.executable, "-m", "mlreview", "rules", "--output-format", "json"],
                             capture_output=True, text=True, check=True).stdout
    return {rule["code"]: bool(rule.get("default", True)) for rule in json.loads(listing)}


@dataclass
class Comparison:
    verdicts: dict[str, Counter]  # rule -> Counter of verdicts of the findings seen now
    patterns: Counter  # (rule, verdict, reason) of the findings seen now
    untriaged: list[tuple[Key, dict]]
    vanished: list[tuple[Key, Verdict]]
    count_only: dict[str, Counter]  # rule -> findings per repository


def compare(runs: list[RepoRun], triage: dict[Key, list[Verdict]], count_only: set[str]) -> Comparison:
    verdicts: dict[str, Counter] = defaultdict(Counter)
    patterns: Counter = Counter()
    counted: dict[str, Counter] = defaultdict(Counter)
    untriaged: list[tuple[Key, dict]] = []
    unused = {key: list(rows) for key, rows in triage.items()}
    compared_repos = {run.source.name for run in runs if not run.error}
    for run in runs:
        for finding in run.findings:
            if finding["code"] in count_only:
                counted[finding["code"]][run.source.name] += 1
                continue
            key = finding_key(run.source.name, finding)
            rows = unused.get(key)
            if rows:
                row = rows.pop(0)
                verdicts[finding["code"]][row.verdict] += 1
                patterns[(finding["code"], row.verdict, row.reason)] += 1
            else:
                untriaged.append((key, finding))
    vanished = [(key, row) for key, rows in unused.items() if key[0] in compared_repos for row in rows]
    return Comparison(verdicts, patterns, untriaged, sorted(vanished), counted)


def precision(counts: Counter) -> float | None:
    judged = counts["TP"] + counts["FP"]
    return counts["TP"] / judged if judged else None


def debatable_share(counts: Counter) -> float:
    total = sum(counts.values())
    return counts["DEBATABLE"] / total if total else 0.0


def gate_failures(comparison: Comparison, defaults: dict[str, bool]) -> list[str]:
    failures = []
    for code, counts in sorted(comparison.verdicts.items()):
        if not defaults.get(code, True):
            continue
        rule_precision = precision(counts)
        if rule_precision is not None and rule_precision < MIN_PRECISION:
            failures.append(f"{code}: precision {rule_precision:.2f} < {MIN_PRECISION}")
        if debatable_share(counts) > MAX_DEBATABLE:
            failures.append(f"{code}: DEBATABLE {debatable_share(counts):.0%} > {MAX_DEBATABLE:.0%}")
    if comparison.untriaged:
        failures.append(f"{len(comparison.untriaged)} finding(s) not triaged")
    return failures


def print_totals(runs: list[RepoRun]) -> None:
    print("## Corpus\n")
    print("| repository | commit | files | lines | notebooks | syntax errors | findings | seconds |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run in runs:
        status = f" (FAILED: {run.error})" if run.error else ""
        print(f"| {run.source.name}{status} | {run.source.commit[:10]} | {run.files} | {run.lines:,} | "
              f"{run.notebooks} | {len(run.input_errors)} | {len(run.findings)} | {run.seconds:.1f} |")
    print(f"| **{len(runs)} repositories** | | {sum(r.files for r in runs)} | "
          f"{sum(r.lines for r in runs):,} | {sum(r.notebooks for r in runs)} | "
          f"{sum(len(r.input_errors) for r in runs)} | {sum(len(r.findings) for r in runs)} | "
          f"{sum(r.seconds for r in runs):.1f} |\n")


def print_precision(comparison: Comparison, defaults: dict[str, bool]) -> None:
    print("## Precision per rule (triaged findings seen in this run)\n")
    print("| rule | default | findings | TP | FP | DEBATABLE | precision | DEBATABLE share | gate |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for code, counts in sorted(comparison.verdicts.items()):
        rule_precision = precision(counts)
        shown = "n/a" if rule_precision is None else f"{rule_precision:.2f}"
        passes = ((rule_precision is None or rule_precision >= MIN_PRECISION)
                  and debatable_share(counts) <= MAX_DEBATABLE)
        gate = "pass" if passes else ("FAIL" if defaults.get(code, True) else "opt-in")
        print(f"| {code} | {'yes' if defaults.get(code, True) else 'no'} | {sum(counts.values())} | "
              f"{counts['TP']} | {counts['FP']} | {counts['DEBATABLE']} | {shown} | "
              f"{debatable_share(counts):.0%} | {gate} |")
    print()


def print_patterns(comparison: Comparison, show: int) -> None:
    """The reasons behind FP and DEBATABLE verdicts, most frequent first: what to fix next."""
    print("## False-positive and DEBATABLE patterns\n")
    noisy = [(count, key) for key, count in comparison.patterns.items() if key[1] != "TP"]
    for count, (code, verdict, reason) in sorted(noisy, key=lambda item: (-item[0], item[1]))[:show]:
        print(f"{count:5} {code} {verdict:9} {reason}")
    print()


def print_count_only(comparison: Comparison) -> None:
    for code, per_repo in sorted(comparison.count_only.items()):
        listed = ", ".join(f"{repo} {count}" for repo, count in sorted(per_repo.items()))
        print(f"{code} (counted, not triaged): {sum(per_repo.values())}: {listed}")
    print()


def print_changes(comparison: Comparison, show: int) -> None:
    print(f"## New (untriaged) findings: {len(comparison.untriaged)}\n")
    for (repo, path, cell, row, code), finding in comparison.untriaged[:show]:
        where = f"{path}[cell {cell}]" if cell else path
        print(f"+ {repo} {where}:{row} {code} {finding['message'][:120]}")
    print(f"\n## Vanished findings (triaged, no longer reported): {len(comparison.vanished)}\n")
    for (repo, path, cell, row, code), verdict in comparison.vanished[:show]:
        where = f"{path}[cell {cell}]" if cell else path
        print(f"- {repo} {where}:{row} {code} was {verdict.verdict}: {verdict.reason}")
    print()


def write_untriaged(comparison: Comparison, path: Path) -> None:
    """The untriaged findings as triage rows to fill in (verdict and reason left empty)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(TRIAGE_COLUMNS + ("message",))
        for key, finding in comparison.untriaged:
            writer.writerow(key + ("", "", finding["message"]))


def missing_repos(sources: list[Source], corpus: Path) -> list[Source]:
    return [source for source in sources if not (corpus / source.folder_name / STAMP).is_file()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--triage", type=Path, default=TRIAGE)
    parser.add_argument("--sources", type=Path, default=SOURCES, help="the pinned repositories (sources.toml)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the gate fails")
    parser.add_argument("--only", nargs="*", default=None, help="only these owner/name")
    parser.add_argument("--write-untriaged", type=Path, help="write untriaged findings as TSV rows")
    parser.add_argument("--show", type=int, default=50, help="list at most N new/vanished findings")
    args = parser.parse_args(argv)

    sources, report = load_sources(args.sources)
    if args.only:
        sources = [source for source in sources if source.name in args.only]
    absent = missing_repos(sources, args.corpus)
    if absent:
        print(f"The ecosystem corpus is not restored in {args.corpus} "
              f"({len(absent)} of {len(sources)} repositories missing). Restore it with\n"
              f"    python bench/ecosystem/restore.py [--mirrors DIR]\n"
              f"(network or local git mirrors; see bench/ecosystem/README.md). Skipping.")
        return 0

    runs = [run_repo(source, args.corpus) for source in sources]
    comparison = compare(runs, load_triage(args.triage), set(report.get("count-only", ())))
    defaults = default_selection()
    print_totals(runs)
    print_precision(comparison, defaults)
    print_patterns(comparison, args.show)
    print_count_only(comparison)
    print_changes(comparison, args.show)
    if args.write_untriaged:
        write_untriaged(comparison, args.write_untriaged)
    failures = gate_failures(comparison, defaults) + [f"{r.source.name}: {r.error}" for r in runs if r.error]
    print("Gate: " + ("pass" if not failures else "FAIL\n  " + "\n  ".join(failures)))
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
