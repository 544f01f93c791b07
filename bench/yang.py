"""The leakage score on Yang et al.'s test programs (ASE'22, malusamayo/leakage-analysis).

    .venv/bin/python bench/yang.py --restore /work/.mirror/malusamayo+leakage-analysis/repo
    .venv/bin/python bench/yang.py [--corpus .yang-corpus]

`--restore` copies tests/inputs/*.py of a clone (or bare mirror) of the repository into
the corpus folder (git-ignored: their code is never committed). The run checks the
corpus with the ML2 rules and compares, program by program, the set of ML2 codes
reported with the committed verdicts (bench/yang/verdicts.tsv: our reading of each
program under RULES.md's definitions, with the reason). A program is right when the
two sets are equal. Exits 1 when a program is missing from the corpus.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERDICTS = ROOT / "bench" / "yang" / "verdicts.tsv"
DEFAULT_CORPUS = ROOT / ".yang-corpus"


def read_verdicts(path: Path = VERDICTS) -> dict[str, tuple[frozenset, str]]:
    """file name -> (expected ML2 codes, reason)."""
    verdicts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, codes, reason = line.split("\t")
        verdicts[name] = (frozenset() if codes == "-" else frozenset(codes.split(",")), reason)
    return verdicts


def restore(source: Path, corpus: Path) -> None:
    """Copy tests/inputs/*.py out of a git repository (bare or not) at its HEAD."""
    corpus.mkdir(parents=True, exist_ok=True)
    listing = subprocess.run(["git", "-C", str(source), "ls-tree", "--name-only", "HEAD:tests/inputs"],
                             check=True, capture_output=True, text=True).stdout.split()
    for name in listing:
        if name.endswith(".py"):
            text = subprocess.run(["git", "-C", str(source), "show", f"HEAD:tests/inputs/{name}"],
                                  check=True, capture_output=True).stdout
            (corpus / name).write_bytes(text)


def reported_codes(corpus: Path) -> dict[str, frozenset]:
    """file name -> the ML2 codes mlreview reports in it."""
    result = subprocess.run(
        [sys.executable, "-m", "mlreview", "check", "--select", "ML2", "--output-format", "json", "--exit-zero",
         "--no-cache", "--no-project", str(corpus)], check=True, capture_output=True, text=True)
    found: dict[str, set] = {}
    for finding in json.loads(result.stdout):
        found.setdefault(Path(finding["filename"]).name, set()).add(finding["code"])
    return {name: frozenset(codes) for name, codes in found.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--restore", type=Path, metavar="REPOSITORY",
                        help="copy the test programs from this clone or mirror first")
    args = parser.parse_args(argv)
    if args.restore:
        restore(args.restore, args.corpus)
    verdicts = read_verdicts()
    missing = [name for name in verdicts if not (args.corpus / name).is_file()]
    if missing:
        print(f"{len(missing)} program(s) missing from {args.corpus}: restore them with --restore", file=sys.stderr)
        return 1
    found = reported_codes(args.corpus)
    right = 0
    for name, (expected, reason) in sorted(verdicts.items()):
        got = found.get(name, frozenset())
        ok = got == expected
        right += ok
        status = "right" if ok else "WRONG"
        print(f"{status:5}  {name:60} expected {format_codes(expected):18} got {format_codes(got):18} {reason}")
    print(f"\n{right}/{len(verdicts)} programs right")
    return 0


def format_codes(codes: frozenset) -> str:
    return ",".join(sorted(codes)) or "-"


if __name__ == "__main__":
    sys.exit(main())
