"""Project-level facts that live outside Python files: model cards, data versioning
(DVC, Git LFS), lock files, declared dependencies and experiment metrics in dvc.yaml."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Declaration, Evidence, ProjectMetadata

CARD_FILE = re.compile(r"^(model[_-]?card|modelcard)[^/]*\.(md|ya?ml|json)$", re.IGNORECASE)
CARD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*.*\b(model card|intended use|limitations)\b", re.IGNORECASE | re.MULTILINE)
CARD_FRONT_MATTER = re.compile(r"\A---\s*\n.*?^(model-index|model_card)\s*:", re.DOTALL | re.MULTILINE)
LOCK_FILES = frozenset({"poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "conda-lock.yml", "conda-lock.yaml"})
REQUIREMENTS = re.compile(r"(^|/)requirements[^/]*\.(txt|in)$")
ML_LIBRARIES = frozenset({"scikit-learn", "sklearn", "torch", "tensorflow", "tensorflow-cpu", "tensorflow-gpu",
                          "keras", "transformers", "xgboost", "lightgbm", "catboost", "numpy", "pandas", "jax",
                          "jaxlib"})
REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?P<spec>[^;#]*)")


def read_metadata(root: Path, files: list[str]) -> ProjectMetadata:
    meta = ProjectMetadata()
    for relative in files:
        name = relative.rsplit("/", 1)[-1]
        if CARD_FILE.match(name):
            meta.model_cards.append(relative)
        elif name.lower().startswith("readme") and documents_a_model(read(root / relative)):
            meta.model_cards.append(relative)
        if name.endswith(".dvc") or name in ("dvc.yaml", "dvc.lock"):
            meta.dvc_files.append(relative)
        if name == "dvc.yaml" and re.search(r"^\s*(metrics|plots)\s*:", read(root / relative), re.MULTILINE):
            meta.dvc_metrics.append(relative)
        if name == ".gitattributes":
            meta.lfs_patterns += lfs_patterns(read(root / relative))
        if name in LOCK_FILES:
            meta.lock_files.append(relative)
        if REQUIREMENTS.search(relative):
            meta.declarations += requirement_lines(relative, read(root / relative))
        elif name == "pyproject.toml":
            meta.declarations += pyproject_dependencies(relative, read(root / relative))
        elif name == "setup.cfg":
            meta.declarations += setup_cfg_dependencies(relative, read(root / relative))
        elif name in ("environment.yml", "environment.yaml"):
            meta.declarations += conda_dependencies(relative, read(root / relative))
        elif name == "Pipfile":
            meta.declarations += pipfile_dependencies(relative, read(root / relative))
    if (root / ".gitattributes").is_file() and ".gitattributes" not in files:
        meta.lfs_patterns += lfs_patterns(read(root / ".gitattributes"))
    if (root / ".dvc").is_dir():
        meta.dvc_files.append(".dvc")
    return meta


def read(path: Path) -> str:
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def documents_a_model(readme: str) -> bool:
    return bool(CARD_HEADING.search(readme) or CARD_FRONT_MATTER.match(readme))


def lfs_patterns(text: str) -> list[str]:
    return [line.split()[0] for line in text.splitlines() if "filter=lfs" in line and line.split()]


def normalise(name: str) -> str:
    return re.sub(r"[._]", "-", name.lower())


def requirement_lines(relative: str, text: str) -> list[Declaration]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "-", "git+", "http")):
            continue
        declaration = declaration_at(relative, number, line, 0)
        if declaration:
            found.append(declaration)
    return found


def declaration_at(relative: str, number: int, line: str, start: int, end: int | None = None,
                   spec: str | None = None) -> Declaration | None:
    """The ML library a PEP 508 requirement at `line[start:end]` declares (`spec` when the
    file states the version elsewhere, as a Pipfile does)."""
    text = line[start:end]
    match = REQUIREMENT.match(text)
    if not match:
        return None
    name = normalise(match.group("name"))
    if name not in ML_LIBRARIES:
        return None
    requirement = text.split("#", 1)[0].rstrip()
    offset = start + len(text) - len(text.lstrip())
    evidence = Evidence(number, offset, number, start + len(requirement), name)
    return Declaration(relative, evidence, name, match.group("spec").strip() if spec is None else spec)


def setup_cfg_dependencies(relative: str, text: str) -> list[Declaration]:
    """`install_requires` of `[options]` and every group of `[options.extras_require]`, one
    requirement a line (the first may share the key's line)."""
    found = []
    section, in_list = None, False
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]
        if code.strip().startswith("["):
            section, in_list = code.strip(), False
            continue
        if section not in ("[options]", "[options.extras_require]") or not code.strip():
            continue
        if not line[:1].isspace():  # a key: `install_requires =` or an extra's name
            key, _, value = code.partition("=")
            in_list = section == "[options.extras_require]" or key.strip() == "install_requires"
            if in_list and value.strip():
                found += present(declaration_at(relative, number, line, line.index(value.strip())))
        elif in_list:
            found += present(declaration_at(relative, number, line, len(line) - len(line.lstrip())))
    return found


CONDA_ITEM = re.compile(r"^(\s*-\s+)(?!pip:)(\S)")


def conda_dependencies(relative: str, text: str) -> list[Declaration]:
    """`- numpy=1.26` (conda's `=` pins a version prefix) and the `- pip:` list under `dependencies:`."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        item = CONDA_ITEM.match(line)
        if item is None:
            continue
        declaration = declaration_at(relative, number, line, item.end(1))
        if declaration is not None:
            spec = re.sub(r"^=(?!=)", "==", declaration.spec.replace(" ", ""))
            found.append(Declaration(declaration.file, declaration.evidence, declaration.name, spec))
    return found


PIPFILE_ENTRY = re.compile(r"""^\s*(?P<name>["']?[A-Za-z0-9][A-Za-z0-9._-]*["']?)\s*=\s*(?P<value>.*)$""")
PIPFILE_VERSION = re.compile(r"""^["']([^"']*)["']|version\s*=\s*["']([^"']*)["']""")


def pipfile_dependencies(relative: str, text: str) -> list[Declaration]:
    """`numpy = "*"` or `torch = {version = ">=2"}` in `[packages]`/`[dev-packages]`."""
    found = []
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("["):
            section = line.strip()
            continue
        entry = PIPFILE_ENTRY.match(line.split("#", 1)[0])
        if section not in ("[packages]", "[dev-packages]") or entry is None:
            continue
        version = PIPFILE_VERSION.search(entry["value"].strip())
        spec = "" if version is None else (version.group(1) or version.group(2) or "").replace("*", "")
        start = line.index(entry["name"]) + (1 if entry["name"][0] in "\"'" else 0)
        found += present(declaration_at(relative, number, line, start, line.index("=", start), spec=spec))
    return found


def present(declaration: Declaration | None) -> list[Declaration]:
    return [] if declaration is None else [declaration]


QUOTED = re.compile(r"""["']([^"']+)["']""")
DEPENDENCY_TABLES = re.compile(r"^\s*\[(project|project\.optional-dependencies|dependency-groups)\]\s*$")


def pyproject_dependencies(relative: str, text: str) -> list[Declaration]:
    """Quoted requirements in `[project] dependencies` and the optional/dependency groups."""
    found = []
    table, in_list = None, False
    for number, line in enumerate(text.splitlines(), 1):
        code = QUOTED.sub('""', line.split("#", 1)[0])
        if not in_list and code.lstrip().startswith("["):
            header = DEPENDENCY_TABLES.match(line)
            table = header.group(1) if header else None
            continue
        if table is None:
            continue
        if not in_list and "=" in code and "[" in code.split("=", 1)[1]:
            key = code.split("=", 1)[0].strip()
            in_list = key == "dependencies" if table == "project" else True
        if in_list:
            for match in QUOTED.finditer(line.split("#", 1)[0]):
                declaration = declaration_at(relative, number, line, match.start(1), match.end(1))
                if declaration:
                    found.append(declaration)
            if "]" in code.split("=", 1)[-1]:
                in_list = False
    return found
