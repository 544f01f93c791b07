"""The command line: `mlreview check | server | rule | rules | docs | scaffold` (flake8/ruff conventions)."""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys

from .. import __version__


class Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized to the terminal as argparse does but without importing shutil
    (and the compression modules it imports): 3 ms of every run, of the 100 a small file's check has."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, width or terminal_columns())


def terminal_columns() -> int:
    """shutil.get_terminal_size's answer: $COLUMNS, else the terminal's width, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlreview", description="A senior ML reviewer for Python code.",
                                     formatter_class=Formatter)
    parser.add_argument("--version", action="version", version=f"mlreview {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = functools.partial(subcommands.add_parser, formatter_class=Formatter)

    check = command("check", help="check files, folders or stdin (-)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--output-format", choices=("text", "json", "sarif", "github"), default="text")
    check.add_argument("--select", help="rule codes or prefixes to enable, comma-separated (overrides config)")
    check.add_argument("--ignore", help="rule codes or prefixes to disable, comma-separated")
    check.add_argument("--extend-select", help="rule codes or prefixes to enable on top of the selection")
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place, then report what remains")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("-q", "--quiet", action="store_true", help="print the findings and nothing else (no summary)")
    check.add_argument("--config", metavar="FILE", help="use this pyproject.toml or mlreview.toml")
    check.add_argument("--stdin-filename", metavar="NAME", help="the name to report for stdin input")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write .mlreview_cache/")
    check.add_argument("--jobs", "-j", type=positive, metavar="N",
                       help="worker processes (default: the CPUs available; 1: no workers)")
    check.add_argument("--no-project", action="store_true",
                       help="judge project rules file by file (every file is its own project)")

    report = command("report", help="the project's review as a scorecard")
    report.add_argument("path", nargs="?", default=".", metavar="PATH")
    report.add_argument("--format", choices=("markdown", "html", "json"), default="markdown")
    report.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    report.add_argument("--config", metavar="FILE", help="use this pyproject.toml or mlreview.toml")
    report.add_argument("--no-cache", action="store_true", help="neither read nor write .mlreview_cache/")

    server = command("server", help="run the language server (stdio by default)")
    server.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=2087)

    rule = command("rule", help="show a rule's documentation")
    rule.add_argument("code")

    rules = command("rules", help="list the rules")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")

    docs = command("docs", help="regenerate the markdown rule docs shipped in the package")
    docs.add_argument("--out", help="folder to write to (default: the package's docs folder)")

    scaffold = command("scaffold", help="create a new rule's file, test cases and docs (source checkout)")
    scaffold.add_argument("code", help="the new rule's code, e.g. ML308")
    scaffold.add_argument("name", help="its name, e.g. softmax-before-cross-entropy")
    scaffold.add_argument("--family", required=True, help="its family package in server/diagnostics, e.g. training")
    scaffold.add_argument("--root", help="the source checkout (default: the one holding this mlreview)")
    return parser


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: list[str] | None = None) -> int:
    try:
        status = run_command(argv)
        if not sys.stdout.closed:  # the language server closes it on exit
            sys.stdout.flush()  # here, not at exit, where a closed pipe can no longer be handled
        return status
    except BrokenPipeError:  # `mlreview rules | head`: the reader left; exit quietly as other CLIs do
        silence_stdout()
        return 1


def silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit raises nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def run_command(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "check":
        from .replay import RunReplay

        replay = RunReplay.for_run(args)
        if replay is not None and (status := replay.replayed()) is not None:
            return status  # nothing it reads changed since a run with the same inputs
        from .check import run_check

        return run_check(args, replay)
    if args.command == "report":
        from .report import run_report

        return run_report(args)
    if args.command == "server":
        gc.disable()  # importing pygls/lsprotocol builds thousands of classes; collecting meanwhile is waste
        from ..lsp import run_server

        run_server("tcp" if args.tcp else "stdio", args.host, args.port)
        return 0
    if args.command == "scaffold":
        from .scaffold import run_scaffold

        return run_scaffold(args)
    if args.command in ("rule", "rules", "docs"):
        from . import catalogue

        return getattr(catalogue, f"run_{args.command}")(args)
    parser.print_help()
    return 2
