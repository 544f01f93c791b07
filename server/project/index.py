"""The project index: every file's facts, cached by content, and the project they make.

An edit recomputes only the edited file's facts; the cache also lives on disk
(`.mlreview_cache/` in the project root, like ruff's) so a second run reads it back.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from pathlib import Path

from .. import __version__
from ..parse.chunks import chunk_document, split_lines
from ..model.module_model import ModuleModel, per_version
from ..parse.source import InputError, decode_source, read_bytes
from .discovery import walk
from .file_facts import compute
from .metadata import read_metadata
from .model import FileFacts, Project

log = logging.getLogger("mlreview")
CACHE_FOLDER = ".mlreview_cache"
CACHE_FORMAT = f"project-facts-2-{__version__}"  # bumped when the facts computed change
PARALLEL_ABOVE = 64  # files to compute before worker processes pay for their start-up


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def facts_of_text(data: bytes, path: str) -> FileFacts:
    try:
        source = decode_source(data, notebook=path.endswith(".ipynb"))
    except InputError:
        return FileFacts()
    return facts_of_model(model_of(source, path))


def model_of(source, path: str) -> ModuleModel:
    lines = split_lines(source.text)
    return ModuleModel(chunk_document(lines), lines, source, path)


def facts_of_file(item: tuple[str, bytes]) -> FileFacts:
    return facts_of_text(item[1], item[0])


def facts_of_model(model: ModuleModel) -> FileFacts:
    try:
        return compute(model)
    except Exception:  # a file the fact pass cannot read contributes nothing, never aborts the project
        log.exception("project facts failed on %s", model.path)
        return FileFacts()


@per_version
def facts_of_version(model: ModuleModel) -> FileFacts:
    """A document version's facts, kept with its model (the file's own project rules and the
    language server's project review both ask)."""
    return facts_of_model(model)


def lower_priority() -> None:
    """A background worker process yields the CPUs to the editor's own analyses."""
    try:
        os.nice(10)
    except (AttributeError, OSError):  # not on this platform: run at the usual priority
        pass


class ProjectIndex:
    """`background` (the language server): the fact pass runs at a lower priority, leaves a CPU
    to the open documents, and `pause` (given to `build`) lets it wait between files."""

    def __init__(self, root: Path, settings=None, use_disk_cache: bool = True, background: bool = False):
        self.root = root
        self.settings = settings
        self.background = background
        self.cache_file = root / CACHE_FOLDER / "project-facts.json" if use_disk_cache else None
        self.entries: dict[str, tuple[str, FileFacts]] = self._load()
        self.computed = 0  # files whose facts were computed (not read from the cache): for tests and bench
        self.parsed = 0  # of those, files this process parsed for the index alone (none of the adopted)

    def relative(self, path: str | Path) -> str | None:
        real, root = os.path.realpath(path), self.real_root
        if real == root:
            return "."
        if not real.startswith(root.rstrip(os.sep) + os.sep):
            return None
        return Path(real[len(root.rstrip(os.sep)) + 1:]).as_posix()

    @functools.cached_property
    def real_root(self) -> str:
        return os.path.realpath(self.root)

    def record(self, relative: str, data: bytes, model: ModuleModel) -> None:
        """Facts of a file the caller has already modelled (the CLI's checked files)."""
        key = digest(data)
        if relative not in self.entries or self.entries[relative][0] != key:
            self.adopt(relative, key, facts_of_model(model))

    def adopt(self, relative: str, key: str, facts: FileFacts) -> None:
        """Facts computed elsewhere for the content digesting to `key` (a CLI worker, an open
        document's analysis): a build finding that content reads them instead of parsing it."""
        if self.entries.get(relative, (None,))[0] != key:
            self.entries[relative] = (key, facts)
            self.computed += 1

    def facts(self, relative: str, data: bytes, pause=None) -> FileFacts:
        key = digest(data)
        cached = self.entries.get(relative)
        if cached is not None and cached[0] == key:
            return cached[1]
        if pause is not None:
            pause()  # between files: an open document's analysis goes first
        facts = facts_of_text(data, relative)
        self.entries[relative] = (key, facts)
        self.computed += 1
        self.parsed += 1
        return facts

    def build(self, overrides: dict[str, bytes] | None = None, progress=None, pause=None) -> Project:
        """The project as it is on disk (`overrides`: unsaved editor texts by relative path;
        `pause()`, called before each file computed in this process, may wait)."""
        overrides = overrides or {}
        sources, others = walk(self.root, self.settings)
        contents = {}
        for relative in sources:
            data = overrides.get(relative)
            if data is None:
                try:  # bounded, and never a device or a FIFO
                    data = read_bytes(self.root / relative)
                except InputError:
                    continue
            contents[relative] = data
        self._compute_in_parallel(contents)
        files: dict[str, FileFacts] = {}
        for number, (relative, data) in enumerate(contents.items(), 1):
            files[relative] = self.facts(relative, data, pause)
            if progress is not None:
                progress(number, len(contents))
        for gone in set(self.entries) - set(files):
            del self.entries[gone]
        self._save()
        return Project(self.root, files, read_metadata(self.root, others))

    def _compute_in_parallel(self, contents: dict[str, bytes]) -> None:
        """A cold project of hundreds of files: spread the fact pass over the CPUs."""
        stale = {relative: data for relative, data in contents.items()
                 if self.entries.get(relative, ("",))[0] != digest(data)}
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        # In the background, one CPU stays free for the open documents; even one worker process
        # beats this process, whose threads would share the interpreter lock with the analyses.
        workers = min(max(cpus - 1, 1) if self.background else cpus, 8)
        if len(stale) < PARALLEL_ABOVE or (workers < 2 and not self.background):
            return
        from concurrent.futures import ProcessPoolExecutor

        try:
            with ProcessPoolExecutor(workers, initializer=lower_priority if self.background else None) as pool:
                for relative, facts in zip(stale, pool.map(facts_of_file, stale.items(), chunksize=16)):
                    self.entries[relative] = (digest(stale[relative]), facts)
                    self.computed += 1
        except (OSError, RuntimeError) as exc:  # no processes here: compute them one by one instead
            log.info("parallel project facts unavailable: %s", exc)

    def _load(self) -> dict[str, tuple[str, FileFacts]]:
        if self.cache_file is None or not self.cache_file.is_file():
            return {}
        try:
            stored = json.loads(self.cache_file.read_text("utf-8"))
            if stored.get("format") != CACHE_FORMAT:
                return {}
            return {path: (key, FileFacts.from_json(facts)) for path, (key, facts) in stored["files"].items()}
        except (OSError, ValueError, TypeError, KeyError):
            return {}  # a damaged cache is rebuilt

    def _save(self) -> None:
        if self.cache_file is None or not self.computed:
            return
        stored = {"format": CACHE_FORMAT,
                  "files": {path: [key, facts.to_json()] for path, (key, facts) in sorted(self.entries.items())}}
        try:
            self.cache_file.parent.mkdir(exist_ok=True)
            (self.cache_file.parent / ".gitignore").write_text("*\n", "utf-8")
            self.cache_file.write_text(json.dumps(stored, separators=(",", ":")), "utf-8")
        except OSError as exc:  # a read-only checkout still gets its findings
            log.info("cannot write the project cache %s: %s", self.cache_file, exc)
