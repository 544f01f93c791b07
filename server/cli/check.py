"""`mlreview check`: discover inputs, analyse each, print findings, set the exit status."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..engine import DocumentAnalyzer
from ..facts import crossfile
from ..parse.source import InputError, SourceText, decode_source, read_path
from ..rules.config import ConfigError, Settings, code_list, find_config_file, load_config_file
from ..rules.findings import Finding
from . import output
from .projects import Projects


@dataclass
class FileReport:
    path: str
    source: SourceText
    findings: list[Finding]
    fixed: int = 0


@dataclass
class Run:
    settings: Settings
    reports: list[FileReport] = field(default_factory=list)
    errors: int = 0
    root: str | None = None  # the jedi project for cross-file facts: the checked paths' common folder
    projects: Projects | None = None  # None: every file is its own project (`--no-project`)

    def error(self, message: str) -> None:
        print(f"mlreview: {message}", file=sys.stderr)
        self.errors += 1


def run_check(args) -> int:
    run = Run(Settings())
    run.settings = load_settings(args, run)
    if run.settings is None:
        return 2
    run.root = common_root(args.paths)
    if run.settings.project and not args.no_project and project_rules_selected(run.settings):
        run.projects = Projects(run.settings, use_disk_cache=not args.no_cache)
        for path in args.paths:  # a folder of declaration files only is a project too (ML607)
            if path != "-" and Path(path).is_dir():
                run.projects.index_for(path)
    for path in discover(args.paths, run):
        check_one(path, args, run)
    if run.projects is not None:
        run.projects.attach_findings(run.reports, args.paths, FileReport)
    output.emit(args.output_format, run.reports, fixing=args.fix)
    if run.errors:
        return 2
    found = any(report.findings for report in run.reports)
    return 1 if found and not args.exit_zero else 0


def project_rules_selected(settings: Settings) -> bool:
    """Index the project only when some PROJECT-scope rule can report."""
    from ..diagnostics import REGISTRY

    return any(rule.project_check is not None and settings.is_enabled(rule.code) for rule in REGISTRY)


def load_settings(args, run: Run) -> Settings | None:
    settings = Settings()
    config = Path(args.config) if args.config else find_config_file(Path.cwd())
    if args.config and not config.is_file():
        run.error(f"{args.config}: config file not found")
        return None
    if config is not None:
        try:
            settings, problems = load_config_file(config)
        except ConfigError as exc:
            run.error(str(exc))
            return None
        for problem in problems:
            run.error(problem)
    try:
        if args.select:
            settings = replace(settings, select=code_list(args.select))
        if args.extend_select:
            settings = replace(settings, extend_select=settings.extend_select + code_list(args.extend_select))
        if args.ignore:
            settings = replace(settings, ignore=settings.ignore + code_list(args.ignore))
    except (TypeError, ValueError) as exc:
        run.error(f"invalid command-line selection: {exc}")
        return None
    return settings


def discover(paths: list[str], run: Run):
    """Files to check, in a stable order: given files as they are, folders recursed."""
    for given in paths:
        if given == "-":
            yield "-"
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(p for pattern in ("*.py", "*.ipynb") for p in path.rglob(pattern))
            yield from (str(p) for p in found if p.is_file() and not run.settings.is_excluded(p))
        elif path.exists():
            yield given
        else:
            run.error(f"{given}: no such file or directory")


def common_root(paths: list[str]) -> str | None:
    folders = [str(Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent)
               for p in paths if p != "-" and Path(p).exists()]
    if not folders:
        return None
    try:
        return os.path.commonpath(folders)
    except ValueError:  # different drives
        return folders[0]


def external_facts(path: str, model, run: Run) -> crossfile.ExternalFacts:
    """What the workspace files this one imports define (classes, seeding helpers), via jedi."""
    if path == "-":
        return crossfile.EMPTY
    requests = crossfile.import_requests(crossfile.model_imports(model))
    return crossfile.resolve_external(path, requests, run.root).facts if requests else crossfile.EMPTY


def check_one(path: str, args, run: Run) -> None:
    try:
        source = read_input(path, args)
    except InputError as exc:
        run.error(f"{path}: {exc}")
        return
    in_project = run.projects is not None and path != "-"
    analyzer = DocumentAnalyzer(path)
    result = analyzer.analyse(source, run.settings, in_project=in_project)
    external = external_facts(path, result.model, run)
    if external:  # imports workspace code that matters: analyse again (the parsed chunks are reused)
        result = analyzer.analyse(source, run.settings, external, in_project=in_project)
    for problem in result.problems:
        run.error(f"{path}:{problem.line}:{problem.col + 1}: syntax error: {problem.message} "
                  "(the rest of the file was checked)")
    report = FileReport(display_name(path, args), source, result.findings)
    if args.fix and path != "-" and any(f.fixable for f in result.findings):
        fix_file(path, report, run, external, in_project)
    if in_project:
        run.projects.record(path, result.model if not report.fixed else None)
    run.reports.append(report)


def read_input(path: str, args) -> SourceText:
    if path == "-":
        name = args.stdin_filename or "-"
        return decode_source(sys.stdin.buffer.read(), notebook=name.endswith(".ipynb"))
    return read_path(Path(path))


def display_name(path: str, args) -> str:
    return (args.stdin_filename or "-") if path == "-" else path


def fix_file(path: str, report: FileReport, run: Run, external: crossfile.ExternalFacts = crossfile.EMPTY,
             in_project: bool = False) -> None:
    from ..fixes.notebook import fix_source

    fixed_source, count = fix_source(report.source, run.settings, path)
    if count == 0:
        return
    try:
        Path(path).write_text(serialise(fixed_source), encoding="utf-8")
    except OSError as exc:
        run.error(f"{path}: cannot write fixes: {exc}")
        return
    report.source = fixed_source
    analyzer = DocumentAnalyzer(path)
    report.findings = analyzer.analyse(fixed_source, run.settings, external, in_project=in_project).findings
    report.fixed = count


def serialise(source: SourceText) -> str:
    if source.notebook is None:
        return source.text
    return json.dumps(source.notebook, indent=1, ensure_ascii=False) + "\n"
