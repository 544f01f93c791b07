"""`mlreview check --jobs N`: files analysed by worker processes, reported as one worker would.

Workers are forked once the rules are imported, so each starts warm. They return each file's
report in the order of the files given (`map` keeps it), with its errors and, when the project
layer needs them and its cache does not hold them, the file's project facts; the parent does
everything that has an order or shared state (stderr, the project index, fixes, output). Every
finding is computed by the same code on the same input as without workers, and cross-file
facts are resolved without a time budget, so the output is identical byte for byte.
"""

from __future__ import annotations

import copyreg
import logging
from concurrent.futures import ProcessPoolExecutor

from ..diagnostics import REGISTRY
from ..project.index import digest, facts_of_model
from ..rules.rule import Rule
from .check import Checked, Run, analyse_file, cached_check, guarded_check, remember, versions_of

log = logging.getLogger("mlreview")


def registered_rule(code: str) -> Rule:
    return REGISTRY.get(code)


# A finding crosses processes naming its rule; the parent puts back its own registered Rule.
copyreg.pickle(Rule, lambda rule: (registered_rule, (rule.code,)))


def check_in_parallel(paths: list[str], args, run: Run, jobs: int, progress) -> None:
    """Cached results are taken here; the rest go to the workers; all are recorded in order."""
    versions = {path: versions_of(path, run, args.stdin_filename) for path in paths}
    cached = {path: hit for path in paths
              if (hit := cached_check(path, args, run.cache, versions[path])) is not None}
    missed = [path for path in paths if path not in cached]
    tasks = [(path, args, run.settings, run.root, run.projects is not None,
              run.projects.known_digest(path) if run.projects is not None else None, versions[path])
             for path in missed]
    done = 0
    try:
        with ProcessPoolExecutor(max(1, min(jobs, len(missed)))) as pool:
            analysed = pool.map(worker_check, tasks, chunksize=chunk_size(len(missed), jobs))
            for path in paths:
                if path in cached:
                    record(path, (cached[path], [], None), run)
                else:
                    outcome = next(analysed)
                    if outcome[0] is not None:
                        remember(path, outcome[0], run.cache)
                    record(path, outcome, run)
                done += 1
                progress.update(done)
    except (OSError, RuntimeError) as exc:  # no worker processes here (a sandbox): one by one instead
        log.info("worker processes unavailable: %s", exc)
        for number, path in enumerate(paths[done:], done + 1):
            guarded_check(path, args, run)
            progress.update(number)


def chunk_size(files: int, jobs: int) -> int:
    """A few chunks per worker: few round trips, and no worker left idle at the end."""
    return max(1, min(16, files // (jobs * 4)))


def worker_check(task) -> tuple[Checked | None, list[str], object]:
    """(the file's check without its model, errors, project facts or None) in a worker."""
    path, args, settings, root, in_project, known_digest, versions = task
    try:
        checked = analyse_file(path, args, settings, root, in_project, versions)
    except RecursionError:
        return None, [f"{path}: nested too deeply to analyse (skipped)"], None
    except Exception as exc:  # one file's failure must not lose the others' findings
        return None, [f"{path}: internal error, file skipped: {type(exc).__name__}: {exc}"], None
    facts = None
    if in_project and checked.report is not None and digest(checked.data) != known_digest:
        facts = facts_of_model(checked.model)
    checked.model = None  # the syntax trees stay in the worker
    return checked, [], facts


def record(path: str, outcome, run: Run) -> None:
    checked, failures, facts = outcome
    for message in failures if checked is None else checked.errors:
        run.error(message)
    if checked is None or checked.report is None:
        return
    if facts is not None:
        run.projects.record_facts(path, digest(checked.data), facts)
    elif run.projects is not None and path != "-":
        run.projects.record(path, None, checked.data)  # a cached result: facts from the project cache
    run.reports.append(checked.report)
