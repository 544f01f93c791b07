"""Cross-file knowledge: what names imported from other workspace files are.

`from models import Net; model = Net()` is a torch model only if `Net` in
models.py derives from `nn.Module`; `from utils import set_seed` seeds numpy
only if its body calls `np.random.seed`; `from prep import scale_all` hands the
lineage walk the function's file text, to apply its body at the document's calls. The rules cannot see that from one
file, so this module answers it with jedi (to find where an imported name is
defined, following re-exports and relative imports) and `ast` (to read that
definition). User code is parsed, never imported or executed.

This is slow next to the keystroke path (jedi costs tens to hundreds of
milliseconds), so it runs lazily, off that path: the CLI before analysing a
file, the language server in a background thread after it has published. The
rules read the result, `model.external` (an `ExternalFacts`, model/external.py), and treat
`EMPTY` (nothing known) exactly as before this module existed.
"""

from __future__ import annotations

import ast
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# What the rules read, `model.external`, is declared by the model: the engine hands this
# module's answer to the model, which never asks this module.
from ..model.external import EMPTY, ExternalFacts, ForeignDefinition, ModeSwitch
from ..parse.syntax import dotted_name, qualified_name
from .module_classes import is_module_base


def mode_switch_of(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ModeSwitch | None:
    """How a function switches the mode of the models it is given (ML303 through other files)."""
    from .torch_models import chain_root, sets_eval_mode, sets_train_mode  # the mode catalogue

    calls = [node for node in ast.walk(function) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
    trains = any(sets_train_mode(call) for call in calls)
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    switched = {root.id for call in calls if sets_eval_mode(call)
                and isinstance(root := chain_root(call.func.value), ast.Name)}
    evaluated = tuple((positional.index(name) if name in positional else -1, name)
                      for name in sorted(switched)
                      if name in positional or name in {a.arg for a in function.args.kwonlyargs})
    return ModeSwitch(evaluated, trains) if evaluated or trains else None

# ----- what a document asks ---------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRequest:
    """One imported workspace name: how to import it, and the name the document uses."""

    statement: str  # a one-line import statement, e.g. "from .models import Net"
    target: str  # the imported name in that statement to resolve ("Net", or "models" of `import models`)
    written: str  # how the document refers to it ("Net", "N", "models", "pkg.models")


# Libraries the rules know: never workspace code, never worth a jedi look-up.
KNOWN_LIBRARIES = frozenset({
    "numpy", "pandas", "sklearn", "scipy", "torch", "torchvision", "torchaudio", "torchtext", "tensorflow",
    "keras", "jax", "flax", "optax", "transformers", "datasets", "accelerate", "evaluate", "tokenizers",
    "lightning", "pytorch_lightning", "lightning_fabric", "torchmetrics", "timm", "xgboost", "lightgbm",
    "catboost", "imblearn", "category_encoders", "statsmodels", "joblib", "yaml", "mlflow", "wandb",
    "matplotlib", "seaborn", "plotly", "tqdm", "trl", "peft", "sentence_transformers", "onnx", "onnxruntime",
    "PIL", "cv2", "requests", "pydantic", "fastapi", "flask", "hydra", "omegaconf",
})


def model_imports(model) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of an analysed document (from its indexes: no walk)."""
    return [node for _, node in model.nodes(ast.Import, ast.ImportFrom)]


def text_imports(text: str) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a text, chunk by chunk (a syntax error loses only its chunk)."""
    from ..parse.chunks import chunk_document, split_lines

    return [node for chunk in chunk_document(split_lines(text)) if chunk.tree is not None
            for node in ast.walk(chunk.tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def import_requests(imports) -> tuple[ImportRequest, ...]:
    """The imports that may name workspace code: relative ones, and absolute ones of packages that
    are neither known libraries nor the standard library. No file system access: this runs after
    every analysis; `workspace_requests` (in the resolver) keeps those that exist in the workspace."""
    requests: list[ImportRequest] = []
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and not _maybe_workspace_module(module):
                continue
            source = "." * node.level + module
            for alias in node.names:
                if alias.name != "*":
                    requests.append(ImportRequest(f"from {source} import {alias.name}", alias.name,
                                                  alias.asname or alias.name))
        else:
            for alias in node.names:
                if _maybe_workspace_module(alias.name):
                    requests.append(ImportRequest(f"import {alias.name}", alias.name, alias.asname or alias.name))
    return tuple(dict.fromkeys(requests))  # unique, in order


def workspace_requests(requests: tuple[ImportRequest, ...], path: str, root: str | None) -> tuple[ImportRequest, ...]:
    """The requests whose top package is a file or folder next to the document or at the project
    root (relative imports always are)."""
    folders = _search_folders(path, root)
    return tuple(request for request in requests if request.statement.startswith("from .")
                 or _is_workspace_module(request.statement.split()[1], folders))


def _maybe_workspace_module(module: str) -> bool:
    top = module.split(".")[0]
    return bool(top) and top not in KNOWN_LIBRARIES and top not in sys.stdlib_module_names


def _search_folders(path: str, root: str | None) -> tuple[Path, ...]:
    folder = Path(path).resolve().parent
    found = [folder]
    if root:
        found += [Path(root).resolve(), Path(root).resolve() / "src"]
    return tuple(dict.fromkeys(found))


def _is_workspace_module(module: str, folders: tuple[Path, ...]) -> bool:
    top = module.split(".")[0]
    return any((folder / f"{top}.py").is_file() or (folder / top).is_dir() for folder in folders)


# ----- the resolver -----------------------------------------------------------------------------


@dataclass
class Resolution:
    facts: ExternalFacts
    complete: bool  # False when the time budget ran out first (never without a budget)
    seconds: float
    files: dict[str, object] = field(default_factory=dict)  # the files read -> their stamps (`_stamp`)


_CACHE: dict[tuple, Resolution] = {}  # in insertion order: the oldest first
CACHE_SIZE = 256
_LOCK = threading.Lock()  # jedi is not thread-safe: one resolution at a time


def resolve_external(path: str, requests: tuple[ImportRequest, ...], root: str | None = None,
                     budget: float | None = 1.0, open_texts: dict[str, str] | None = None) -> Resolution:
    """ExternalFacts for a document at `path` importing `requests` (`import_requests`), within
    `budget` seconds (jedi's one-time start-up is not counted). `budget=None` resolves
    everything: the CLI's findings must not depend on how loaded the machine is; the
    language server keeps a budget and refines on a later analysis.

    `open_texts` (resolved path -> text): the files open in an editor, whose text wins over the
    disk's when a definition is read (jedi still finds names from the disk's version).

    Cached per (document path, project root, imports) while the files read keep their mtimes (or,
    when open, their texts): editing the document elsewhere reuses the answer; editing models.py
    invalidates it. A resolution cut short by the budget is returned but not cached.
    """
    requests = workspace_requests(requests, path, root)
    if not requests:
        return Resolution(EMPTY, True, 0.0)
    open_texts = {os.path.realpath(p): text for p, text in (open_texts or {}).items()}
    root = str(Path(root or Path(path).parent).resolve())
    key = (str(Path(path).resolve()), root, requests)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and all(_stamp(p, open_texts) == m for p, m in cached.files.items()):
            return cached
        resolution = _Resolver(path, root, budget, open_texts).run(requests)
        if resolution.complete:
            _CACHE.pop(key, None)
            _CACHE[key] = resolution
            while len(_CACHE) > CACHE_SIZE:  # a long editing session: forget the oldest
                del _CACHE[next(iter(_CACHE))]
        return resolution


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _stamp(path: str, open_texts: dict[str, str] | None) -> object:
    """What says a file read is unchanged: its text when open in an editor, else its mtime."""
    text = open_texts.get(os.path.realpath(path)) if open_texts else None
    if text is not None:
        return ("open", text)
    try:
        return os.stat(path).st_mtime
    except OSError:
        return -1.0


_PROJECTS: dict[str, tuple] = {}


def _jedi_for(root: str):
    """(jedi, environment, project) for a project root. jedi is imported lazily and set up never
    to import anything on its own: the in-process environment spawns no interpreter, and no
    module is auto-imported, so user code is only parsed. jedi keeps its parse caches in the
    user's cache folder; the project is never saved, so nothing is written into the tree."""
    found = _PROJECTS.get(root)
    if found is None:
        import jedi

        jedi.settings.auto_import_modules = []
        environment = jedi.InterpreterEnvironment()
        project = jedi.Project(root, load_unsafe_extensions=False)
        # Warm up outside any budget: the first Script builds parso's grammar (0.3-1 s, once).
        jedi.Script("x = 1\n", project=project, environment=environment).goto(1, 0)
        found = _PROJECTS[root] = (jedi, environment, project)
    return found


MAX_DEPTH = 3  # definitions reached through other definitions (a base class of a base class)
MAX_CLASS_CHAIN = 100  # base classes followed in all (a file's own chain may be as long as the file)


class _Resolver:
    def __init__(self, path: str, root: str, budget: float | None, open_texts: dict[str, str] | None = None):
        self.path = str(Path(path).resolve())
        self.open_texts = open_texts or {}
        self.root = root
        self.jedi, self.environment, self.project = _jedi_for(root)
        from . import rng_seeding  # noqa: F401  (seeded_by's catalogue: imported before the clock)
        # The budget is for the look-ups: importing jedi (0.15-0.5 s) is paid once per process.
        self.started = time.perf_counter()
        self.deadline = None if budget is None else self.started + budget
        self.complete = True
        self.files: dict[str, _TargetFile | None] = {}

    def out_of_time(self) -> bool:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            self.complete = False
        return not self.complete

    def run(self, requests: tuple[ImportRequest, ...]) -> Resolution:
        classes, instances, seeders, modes, definitions = set(), set(), {}, {}, {}
        # The import statements are resolved as a one-line script beside the document, not as the
        # document: jedi caches modules by path, and a snippet under a real file's path would stand
        # for that file when another document imports it.
        snippet_path = str(Path(self.path).with_name("__mlreview_imports__.py"))
        for request in requests:
            if self.out_of_time():
                break
            column = request.statement.rindex(request.target)
            for definition in self.goto(request.statement, snippet_path, 1, column):
                self.record(definition, request.written, classes, instances, seeders, modes, definitions)
        facts = ExternalFacts(frozenset(classes), frozenset(instances), tuple(sorted(seeders.items())),
                              tuple(sorted(modes.items())), tuple(sorted(definitions.items())))
        files = {p: _stamp(p, self.open_texts) for p in self.files}
        return Resolution(facts, self.complete, time.perf_counter() - self.started, files)

    def record(self, definition, written: str, classes: set, instances: set, seeders: dict, modes: dict,
               definitions: dict) -> None:
        kind, file, name = definition
        target = self.file(file)
        if target is None:
            return
        if kind == "module":  # `import models`: everything it defines at top level, as `models.X`
            for member in list(target.classes) + list(target.functions) + list(target.instances):
                if self.out_of_time():
                    return
                self.record(("member", file, member), f"{written}.{member}", classes, instances, seeders, modes,
                            definitions)
            return
        if name in target.classes or name in target.functions:
            definitions[written] = ForeignDefinition(target.path, name, target.text)
        if name in target.classes and self.is_module_class(target, name, 0):
            classes.add(written)
        elif name in target.functions:
            seeders[written] = self.seeded_by(target, name, 0)
            if (switch := mode_switch_of(target.functions[name])) is not None:
                modes[written] = switch
        elif name in target.instances and self.is_module_instance(target, name):
            instances.add(written)

    # ----- jedi ---------------------------------------------------------------------

    def goto(self, code: str, path: str, line: int, column: int) -> list[tuple[str, str, str]]:
        """(kind, file, name) of the workspace definitions of the name at (line, column)."""
        try:
            script = self.jedi.Script(code, path=path, project=self.project, environment=self.environment)
            names = script.goto(line, column, follow_imports=True)
        except Exception:  # jedi on a broken file: nothing known, which is safe
            return []
        found = []
        for name in names:
            module_path = name.module_path
            if module_path is None or not self.in_workspace(module_path) or module_path.suffix != ".py":
                continue
            found.append((name.type, str(module_path), name.name))
        return found

    def in_workspace(self, module_path: Path) -> bool:
        resolved = str(module_path.resolve())
        return resolved.startswith(self.root + os.sep) and "site-packages" not in resolved

    def goto_in(self, target: "_TargetFile", where: tuple[int, int]) -> list[tuple[str, str, str]]:
        """Where a name used in a target file is defined (through that file's own imports)."""
        if self.out_of_time():
            return []
        line, byte_col = where
        column = len(target.lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace"))
        return self.goto(target.text, target.path, line, column)

    def file(self, path: str) -> "_TargetFile | None":
        if path not in self.files:
            self.files[path] = _TargetFile.read(path, self.open_texts.get(os.path.realpath(path)))
        return self.files[path]

    # ----- decisions on the definitions -----------------------------------------------

    def is_module_class(self, target: "_TargetFile", name: str, depth: int, seen=frozenset()) -> bool:
        """A class deriving from torch.nn / Lightning / a Hugging Face model, through bases of its own
        file and, via jedi, bases imported from other workspace files."""
        if depth > MAX_DEPTH or (target.path, name) in seen or len(seen) > MAX_CLASS_CHAIN:
            return False
        seen = seen | {(target.path, name)}
        for base in target.classes[name].bases:
            qualname = target.resolve(base)
            if qualname is not None and is_module_base(qualname):
                return True
            written = dotted_name(base)
            if written in target.classes:
                if self.is_module_class(target, written, depth, seen):
                    return True
            elif written is not None and target.is_imported(written):
                for kind, file, found in self.goto_in(target, _last_name(base)):
                    other = self.file(file)
                    if kind == "class" and other and found in other.classes \
                            and self.is_module_class(other, found, depth + 1, seen):
                        return True
        return False

    def is_module_instance(self, target: "_TargetFile", name: str) -> bool:
        """`net = Net(...)` at the top level of its file, `Net` a module class."""
        call = target.instances[name]
        written = dotted_name(call.func)
        if written in target.classes:
            return self.is_module_class(target, written, 0)
        return False

    def seeded_by(self, target: "_TargetFile", name: str, depth: int) -> frozenset[str]:
        """Generators the function's body seeds: library seeders, and (one or two levels) the
        functions it calls that are defined in its file or imported from the workspace."""
        from .rng_seeding import KNOWN_ROOTS, generators_seeded_by  # the seeders' catalogue

        seeded: set[str] = set()
        for call in target.calls_in(name):
            qualname = target.resolve(call.func)
            if qualname is not None and qualname.split(".")[0] in KNOWN_ROOTS:
                seeded |= generators_seeded_by(qualname)
                continue
            if depth >= MAX_DEPTH - 1:
                continue
            written = dotted_name(call.func)
            if written in target.functions and written != name:
                seeded |= self.seeded_by(target, written, depth + 1)
            elif written is not None and target.is_imported(written):
                for kind, file, found in self.goto_in(target, _last_name(call.func)):
                    other = self.file(file)
                    if kind == "function" and other and found in other.functions:
                        seeded |= self.seeded_by(other, found, depth + 1)
        return frozenset(seeded)


def _last_name(expr: ast.AST) -> tuple[int, int]:
    """(line, byte column) of the last name of `a.b.C`: jedi asked at the start would answer `a`."""
    if isinstance(expr, ast.Attribute):
        return expr.end_lineno, expr.end_col_offset - len(expr.attr.encode("utf-8"))
    return expr.lineno, expr.col_offset


class _TargetFile:
    """A workspace file read with `ast`: its top-level classes, functions, instances and imports."""

    def __init__(self, path: str, text: str, tree: ast.Module):
        self.path = path
        self.text = text
        self.lines = text.splitlines()
        self.classes: dict[str, ast.ClassDef] = {}
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.instances: dict[str, ast.Call] = {}
        self.imports: dict[str, str] = {}  # alias -> qualified name (absolute imports)
        self.relative: set[str] = set()  # aliases bound by relative imports
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self.classes[node.name] = node
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, ast.Call):
                self.instances[node.targets[0].id] = node.value
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    self.imports[bound] = alias.name if alias.asname else bound
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if node.level or not node.module:
                        self.relative.add(bound)
                    else:
                        self.imports[bound] = f"{node.module}.{alias.name}"

    @classmethod
    def read(cls, path: str, text: str | None = None) -> "_TargetFile | None":
        """The file, from `text` (an editor's buffer) when given, else from disk."""
        try:
            if text is None:
                text = Path(path).read_text(encoding="utf-8")
            return cls(path, text, ast.parse(text))
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            return None

    def resolve(self, expr: ast.AST) -> str | None:
        return qualified_name(expr, self.imports)

    def is_imported(self, written: str) -> bool:
        head = written.split(".")[0]
        return head in self.relative or head in self.imports

    def calls_in(self, function: str) -> list[ast.Call]:
        return [node for node in ast.walk(self.functions[function]) if isinstance(node, ast.Call)]
