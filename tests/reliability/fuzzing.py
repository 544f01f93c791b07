"""A seeded mutator over real ML code and notebooks, and the properties every run must keep.

Seeds: examples/ and the leakage case files (each `# case:` block a script of its own).
Mutations: byte flips, truncation, spliced and repeated lines, CR/CRLF/BOM variants, form
feeds, deep nesting, huge literals; for notebooks also JSON-level damage (deep nesting,
wrong types, lone surrogate escapes, CR-only cell sources). Each input goes through the
real CLI (`mlreview.cli.main`, in-process for speed) and `--fix`:

- no traceback, exit status in {0, 1, 2}, JSON output that parses;
- `--fix` never breaks parsing, never deletes code, a second `--fix` changes nothing;
- a notebook's bytes outside the edited `source` values are unchanged.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from mlreview.cli import main
from mlreview.fixes.notebook import source_value_spans

ROOT = Path(__file__).resolve().parents[2]
INTERESTING = list(b"\x00\r\n\t\f ()[]{}:=,.'\"#\\%!?@*-+\xff\xc3\xa9") + list(b"abcXy019_")


def seed_corpus() -> list[tuple[str, bytes]]:
    """(file name, bytes) of every seed input."""
    seeds = [(p.name, p.read_bytes()) for p in sorted((ROOT / "examples").glob("*.py"))]
    seeds += [(p.name, p.read_bytes()) for p in sorted((ROOT / "examples").glob("*.ipynb"))]
    for path in sorted((ROOT / "tests" / "leakage_cases").glob("*.py")):
        for number, block in enumerate(path.read_text("utf-8").split("# case:")[1:]):
            seeds.append((f"{path.stem}_{number}.py", ("# case:" + block).encode()))
    return seeds


# ----- text mutations (bytes in, bytes out) -------------------------------------------------


def flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if out:
            out[rng.randrange(len(out))] = rng.choice(INTERESTING)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def splice_line(rng: random.Random, data: bytes, donor: bytes) -> bytes:
    lines, donor_lines = data.splitlines(keepends=True), donor.splitlines(keepends=True) or [b"\n"]
    at = rng.randrange(len(lines) + 1)
    return b"".join(lines[:at] + [rng.choice(donor_lines)] + lines[at:])


def repeat_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    start = rng.randrange(len(lines))
    stop = min(len(lines), start + rng.randint(1, 5))
    return b"".join(lines[:stop] + lines[start:stop] * rng.randint(1, 20) + lines[stop:])


def line_breaks(rng: random.Random, data: bytes) -> bytes:
    lf = data.replace(b"\r\n", b"\n")
    variant = rng.choice([b"\r\n", b"\r", b"mixed"])
    if variant == b"mixed":
        return b"".join(line + rng.choice([b"\n", b"\r\n", b"\r"]) for line in lf.split(b"\n"))
    return lf.replace(b"\n", variant)


def bom(rng: random.Random, data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def form_feed(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if lines:
        at = rng.randrange(len(lines))
        lines[at] = b"\f" + lines[at]
    return b"".join(lines)


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([50, 150, 400])
    return data + b"\nvalue = " + b"(" * depth + b"1" + b")" * depth + b"\n"


def huge_literal(rng: random.Random, data: bytes, size: int) -> bytes:
    items = b", ".join([b"0.5", b"'x'", b"None"][rng.randrange(3)] for _ in range(size))
    return data + b"\nTABLE = [" + items + b"]\n"


def long_call(rng: random.Random, data: bytes, size: int) -> bytes:
    """A split of many arguments, one of them a table still holding the target (ML207). One:
    ML207 fixes one table per pass, so n such tables take n passes of --fix."""
    args = [rng.choice([b"df['target']", b"X", b"y", b"df[['a', 'b']]"]) for _ in range(size)]
    args.insert(rng.randrange(len(args) + 1), b"df")
    return data + b"\nparts = train_test_split(" + b", ".join(args) + b")\n"


# ----- notebook mutations (on the parsed JSON, written back) ------------------------------------


def notebook_json_damage(rng: random.Random, data: bytes) -> bytes:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):  # damaged (or nested deep) by an earlier mutation
        return data
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list) or not cells:
        return data
    cell = rng.choice(cells)
    kind = rng.randrange(5)
    if kind == 0:
        return b'{"cells": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    if kind == 1 and isinstance(cell, dict):
        cell["source"] = rng.choice([3, None, {"a": 1}, [1, "x"]])
    elif kind == 2 and isinstance(cell, dict):
        cell.setdefault("outputs", []).append({"output_type": "stream", "name": "stdout", "text": ["\ud83d\n"]})
    elif kind == 3 and isinstance(cell, dict):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        cell["source"] = text.replace("\n", "\r")
    else:
        document.setdefault("metadata", {})["mlreview_fuzz"] = "@NUMBER@"
        return json.dumps(document, indent=1).replace('"@NUMBER@"', "1e400").encode()
    return json.dumps(document, indent=rng.choice([1, 2, None])).encode()


def mutate(rng: random.Random, name: str, data: bytes, corpus: list[tuple[str, bytes]], big: int) -> bytes:
    """One to three mutations of `data`; `big` sizes the huge literals."""
    for _ in range(rng.randint(1, 3)):
        if name.endswith(".ipynb") and rng.random() < 0.5:
            data = notebook_json_damage(rng, data)
            continue
        choice = rng.randrange(11)
        if choice == 0:
            data = flip(rng, data)
        elif choice == 1:
            data = truncate(rng, data)
        elif choice in (2, 3):
            data = splice_line(rng, data, rng.choice(corpus)[1])
        elif choice == 4:
            data = repeat_lines(rng, data)
        elif choice == 5:
            data = line_breaks(rng, data)
        elif choice == 6:
            data = bom(rng, data)
        elif choice == 7:
            data = form_feed(rng, data)
        elif choice == 8:
            data = deep_nesting(rng, data)
        elif choice == 9:
            data = huge_literal(rng, data, rng.randint(1, big))
        else:
            data = long_call(rng, data, rng.randint(1, big // 10 + 1))
    return data


# ----- running the CLI and checking the properties --------------------------------------------


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["check", "--no-cache", *args])
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 2
    return Outcome(status, out.getvalue(), err.getvalue())


def clean(outcome: Outcome, what: str) -> list[str]:
    problems = []
    if outcome.status not in (0, 1, 2):
        problems.append(f"{what}: exit status {outcome.status}")
    if "Traceback" in outcome.stderr or "Traceback" in outcome.stdout:
        problems.append(f"{what}: traceback:\n{outcome.stderr[-2000:]}")
    return problems


def parses(data: bytes, notebook: bool) -> bool:
    try:
        if notebook:
            cells = json.loads(data.decode("utf-8-sig"))["cells"]
            for cell in cells:
                if cell.get("cell_type") == "code":
                    source = cell["source"]
                    ast.parse(re.sub(r"(?m)^(\s*)[%!?]", r"\1#", "".join(source) if isinstance(source, list) else source))
            return True
        ast.parse(data.decode("utf-8-sig"))
        return True
    except Exception:
        return False


def code_lines(data: bytes) -> int:
    text = data.decode("utf-8-sig", "replace")
    return sum(1 for line in re.split(r"\r\n|\r|\n", text) if line.strip())


def outside_sources(raw: str, cells: int) -> str:
    """The notebook text with every cell's `source` value cut out."""
    spans = source_value_spans(raw, set(range(1, cells + 1)))
    out, last = [], 0
    for start, end in (spans[i] for i in sorted(spans)):
        out.append(raw[last:start])
        last = end
    return "".join(out) + raw[last:]


def check_input(folder: Path, name: str, data: bytes) -> list[str]:
    """Every property for one input; returns what failed (empty: all held)."""
    path = folder / name
    path.write_bytes(data)
    notebook = name.endswith(".ipynb")
    problems = clean(run_cli(name), "check")
    report = run_cli("--output-format", "json", name)
    problems += clean(report, "check --output-format json")
    try:
        findings = json.loads(report.stdout)
    except ValueError:
        return problems + [f"JSON output does not parse: {report.stdout[:200]!r}"]
    if report.status == 2 or not any(item["fix"] for item in findings):
        return problems
    fixed = run_cli("--fix", name)
    problems += clean(fixed, "--fix")
    after = path.read_bytes()
    if after == data:
        return problems
    if parses(data, notebook) and not parses(after, notebook):
        problems.append("--fix broke parsing")
    if code_lines(after) < code_lines(data):
        problems.append("--fix deleted code")
    if notebook:
        before_cells = len(json.loads(data.decode("utf-8-sig"))["cells"])
        if outside_sources(after.decode("utf-8-sig"), before_cells) != outside_sources(data.decode("utf-8-sig"),
                                                                                        before_cells):
            problems.append("--fix changed notebook bytes outside the edited sources")
    problems += clean(run_cli("--fix", name), "second --fix")
    if path.read_bytes() != after:
        problems.append("a second --fix changed the file")
    return problems


def campaign(folder: Path, cases: int, seed: int, big: int = 2000) -> tuple[int, list[str]]:
    """Run `cases` mutated inputs; returns (inputs run, failures with the input that caused them)."""
    rng = random.Random(seed)
    corpus = seed_corpus()
    failures = []
    with contextlib.chdir(folder):
        for case in range(cases):
            name, data = rng.choice(corpus)
            mutated = mutate(rng, name, data, corpus, big)
            for problem in check_input(folder, f"case_{case}_{name}", mutated):
                failures.append(f"case {case} (seed {seed}, from {name}): {problem}")
            (folder / f"case_{case}_{name}").unlink()
    return cases, failures
