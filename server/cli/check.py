"""`mlreview check`: discover inputs, analyse each, print findings, set the exit status."""

from __future__ import annotations

import codecs
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..facts import crossfile
from ..model.versions import UNKNOWN, KnownVersions
from ..project.discovery import find_root
from ..project.metadata import project_versions
from ..rules.config import Settings
from ..engine import DocumentAnalyzer
from ..rules.findings import Finding
from ..parse.source import InputError, SourceText, decode_source, read_bytes, read_capped
from . import output, silence_stdout
from .cache import ResultCache
from .inputs import Run, common_root, discover, load_settings
from .progress import Progress
from .replay import RunReplay, cache_folder, recording
from .projects import Projects


@dataclass
class FileReport:
    path: str
    source: SourceText
    findings: list[Finding]
    fixed: int = 0
    unfixable: set[tuple] = field(default_factory=set)  # (code, span) of findings whose fix failed
    fixes: dict[str, dict | None] = field(default_factory=dict)  # JSON of the fixes built (output.fix_key)
    text_dropped: bool = False  # no findings: only the cells are kept (the project pass may add some)

    def drop_text(self) -> None:
        """Keep what locating a finding needs, not the text: a run over 20,000 files holds
        every report until the output is written."""
        source = self.source
        self.source = SourceText("", source.cells, None, source.encoding)
        self.text_dropped = True


def run_check(args, replay: RunReplay | None = None) -> int:
    """`replay`: where this run is remembered for replaying, when nothing it reads changes."""
    run = Run(Settings())
    run.settings = load_settings(args, run)
    if run.settings is None:
        return 2
    run.root = common_root(args.paths)
    if run.settings.project and not args.no_project and project_rules_selected(run.settings):
        run.projects = Projects(run.settings, use_disk_cache=not args.no_cache, given=args.paths)
        for path in args.paths:  # a folder of declaration files only is a project too (ML607)
            if path != "-" and Path(path).is_dir():
                run.projects.index_for(path)
    paths = list(discover(args.paths, run))
    if not args.no_cache and not args.fix:
        run.cache = open_cache(run)
    jobs = workers_for(args, paths)
    progress = run.progress = Progress(len(paths), args.output_format)
    if jobs > 1:
        from .parallel import check_in_parallel

        check_in_parallel(paths, args, run, jobs, progress)
    else:
        for done, path in enumerate(paths, 1):
            guarded_check(path, args, run)
            progress.update(done)
    progress.finish()
    if run.projects is not None:
        run.projects.attach_findings(run.reports, args.paths, FileReport)
    try:
        with recording() as out:
            output.emit(args.output_format, run.reports, fixing=args.fix, errors=run.errors, quiet=args.quiet)
            sys.stdout.flush()
    except BrokenPipeError:  # `mlreview check | head`: the reader is gone, which is fine
        silence_stdout()
        replay = None
    if run.cache is not None:
        run.cache.save(run.reports)  # with the fixes the output built (JSON and SARIF show them)
    status = exit_status(run, args)
    if replay is not None and run.cache is not None:
        replay.record(run, out.text(), status, run.cache.dependencies(paths))
    return status


def exit_status(run: Run, args) -> int:
    if run.errors:
        return 2
    found = any(report.findings for report in run.reports)
    return 1 if found and not args.exit_zero else 0


def open_cache(run: Run) -> ResultCache:
    from ..diagnostics import REGISTRY

    return ResultCache(cache_folder(run.settings, run.root), run.settings, run.projects is not None, REGISTRY)


def guarded_check(path: str, args, run: Run) -> None:
    try:
        check_one(path, args, run)
    except RecursionError:
        run.error(f"{path}: nested too deeply to analyse (skipped)")
    except Exception as exc:  # one file's failure must not lose the others' findings
        run.error(f"{path}: internal error, file skipped: {type(exc).__name__}: {exc}")


PARALLEL_FROM = 8  # files: below this, starting workers costs more than it saves


def workers_for(args, paths: list[str]) -> int:
    """Worker processes for this run: `--jobs`, else the CPUs this process may use; one for a
    few files, for stdin and for `--fix` (fixes rewrite files one by one)."""
    jobs = args.jobs or available_cpus()
    if args.fix or "-" in paths or len(paths) < PARALLEL_FROM:
        return 1
    return max(1, min(jobs, len(paths)))


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def project_rules_selected(settings: Settings) -> bool:
    """Index the project only when some PROJECT-scope rule can report."""
    from ..diagnostics import REGISTRY

    return any(rule.project_check is not None
               and settings.is_enabled(rule.code, on_by_default=rule.on_by_default) for rule in REGISTRY)


def external_facts(path: str, model, root: str | None) -> tuple[crossfile.ExternalFacts, list[str]]:
    """What the workspace files this one imports define (classes, seeding helpers), via jedi,
    and the files that was read from. No time budget: a finding of the CLI must not depend on
    the machine's load."""
    requests = crossfile.import_requests(crossfile.model_imports(model)) if path != "-" else ()
    if not requests:
        return crossfile.EMPTY, []
    resolution = crossfile.resolve_external(path, requests, root, budget=None)
    return resolution.facts, sorted(resolution.files)


def versions_of(path: str, run: Run, stdin_filename: str | None = None) -> KnownVersions:
    """The library versions the file's project declares or locks: from its files only, never
    this interpreter's, so the output is the same on every machine. Stdin belongs to the
    project of the name it is given (`--stdin-filename`), if any."""
    if path == "-":
        if not stdin_filename:
            return UNKNOWN
        path = stdin_filename
    folder = os.path.dirname(os.path.abspath(path))
    root = run.roots.get(folder)
    if root is None:  # found once per folder: a warm run is mostly this bookkeeping
        root = run.roots[folder] = find_root(Path(path))
    if root not in run.versions:
        run.versions[root] = project_versions(root, run.settings)
    return run.versions[root]



@dataclass
class Checked:
    """One file's analysis: its report (None when it could not be read) and its errors."""

    report: FileReport | None
    errors: list[str]
    data: bytes = b""
    model: object = None  # None when the report came from the cache
    external: crossfile.ExternalFacts = crossfile.EMPTY
    dependencies: list[str] = field(default_factory=list)  # workspace files its cross-file facts read
    versions: KnownVersions = UNKNOWN  # the library versions it was judged with


def cached_check(path: str, args, cache: ResultCache | None, versions: KnownVersions = UNKNOWN) -> Checked | None:
    """The file's check from the result cache, when nothing it depends on changed (the library
    versions its project declares included)."""
    if cache is None or path == "-":
        return None
    try:
        data = read_input(path)
        hit = cache.lookup(path, data, versions.fingerprint())
        if hit is None:
            return None
        source = decode_source(data, notebook=display_name(path, args).endswith(".ipynb"))
    except InputError:
        return None  # analysed, which reports the error
    report = FileReport(display_name(path, args), source, hit.findings, fixes=hit.fixes)
    if not args.fix and not report.findings:
        report.drop_text()
    return Checked(report, hit.errors, data,
                   versions=versions)


def remember(path: str, checked: Checked, cache: ResultCache | None) -> None:
    if cache is not None and path != "-" and checked.report is not None:
        cache.store(path, checked.data, checked.report.findings, checked.errors, checked.dependencies,
                    checked.versions.fingerprint())


def analyse_file(path: str, args, settings: Settings, root: str | None, in_project: bool,
                 versions: KnownVersions = UNKNOWN) -> Checked:
    """Read and analyse one file: what a worker process does (no output, no shared state)."""
    try:
        data = read_input(path)
        source = decode_source(data, notebook=display_name(path, args).endswith(".ipynb"))
    except InputError as exc:
        return Checked(None, [f"{path}: {exc}"])
    analyzer = DocumentAnalyzer(path)
    result = analyzer.analyse(source, settings, in_project=in_project, versions=versions)
    external, dependencies = external_facts(path, result.model, root)
    if external:  # imports workspace code that matters: analyse again (the parsed chunks are reused)
        result = analyzer.analyse(source, settings, external, in_project=in_project, versions=versions)
    errors = [f"{path}:{source.place(problem.line)}:{problem.col + 1}: syntax error: {problem.message} "
              "(the rest of the file was checked)" for problem in result.problems]
    report = FileReport(display_name(path, args), source, result.findings)
    if args.output_format == "json" and not args.fix:  # built here, in the worker, not one by one at output
        for finding in report.findings:
            output.report_fix(report, finding)
    if not args.fix and not report.findings:
        report.drop_text()
    return Checked(report, errors, data, result.model, external, dependencies, versions)


def check_one(path: str, args, run: Run) -> None:
    in_project = run.projects is not None and path != "-"
    versions = versions_of(path, run, args.stdin_filename)
    checked = cached_check(path, args, run.cache, versions)
    if checked is None:
        checked = analyse_file(path, args, run.settings, run.root, in_project, versions)
        remember(path, checked, run.cache)
    for message in checked.errors:
        run.error(message)
    report = checked.report
    if report is None:
        return
    if args.fix and path != "-" and any(f.fixable for f in report.findings):
        fix_file(path, checked.data, report, run, checked.external, in_project, versions)
    if in_project and not report.fixed:  # a fixed file's facts are read again from disk
        run.projects.record(path, checked.model, checked.data)
    run.reports.append(report)


def read_input(path: str) -> bytes:
    if path == "-":
        return read_capped(sys.stdin.buffer)
    return read_bytes(Path(path))


def display_name(path: str, args) -> str:
    return (args.stdin_filename or "-") if path == "-" else path


def fix_file(path: str, data: bytes, report: FileReport, run: Run,
             external: crossfile.ExternalFacts = crossfile.EMPTY, in_project: bool = False,
             versions: KnownVersions = UNKNOWN) -> None:
    """Apply safe fixes and replace the file atomically: on any failure it is left as it was."""
    from ..fixes.pipeline import MAX_PASSES, fix_all
    from .files import replace_atomically

    result = fix_all(report.source, run.settings, path, external, versions=versions)
    for finding, reason in result.failures:
        cell, span = output.located(result.source, finding.span)
        where = f"{path}:" + (f"cell {cell}:" if cell else "") + f"{span.line}:{span.col + 1}"
        run.warn(f"{where}: {finding.code}: the fix could not be built ({reason}); left as is")
        report.unfixable.add((finding.code, finding.span))
    if not result.converged:
        run.warn(f"{path}: fixes were still being applied after {MAX_PASSES} passes; run --fix again")
    if not result.changed:
        return
    try:
        new_bytes = fixed_bytes(data, result, report.source.encoding)
        replace_atomically(Path(path), new_bytes)
    except (OSError, ValueError, IndexError) as exc:
        run.error(f"{path}: cannot write fixes, the file is unchanged: {exc}")
        return
    report.source = result.source
    report.findings = DocumentAnalyzer(path).analyse(result.source, run.settings, external,
                                                      in_project=in_project, versions=versions).findings
    report.unfixable = {(f.code, f.span) for f in report.findings if (f.code, f.span) in report.unfixable}
    report.fixed = result.applied


def fixed_bytes(original: bytes, result, encoding: str = "utf-8") -> bytes:
    """The file's new bytes: its BOM kept; a notebook's new cell sources spliced into its JSON text."""
    from ..fixes.notebook import splice_cell_sources

    bom = codecs.BOM_UTF8 if original.startswith(codecs.BOM_UTF8) else b""
    if result.source.is_notebook:
        text = splice_cell_sources(original.decode("utf-8-sig"), result.cell_sources())
    else:
        text = result.source.text
    return bom + text.encode(encoding)  # the PEP 263 encoding the file declares
