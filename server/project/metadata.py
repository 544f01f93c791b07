"""Project-level facts that live outside Python files: model cards, data versioning
(DVC, Git LFS), lock files, declared dependencies, the library versions they declare or
lock, and experiment metrics in dvc.yaml."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..facts.versions import VersionsBuilder
from ..model.versions import KnownVersions, distribution
from ..rules.config import parse_toml
from .discovery import walk
from .model import Declaration, Evidence, ProjectMetadata

CARD_FILE = re.compile(r"^(model[_-]?card|modelcard)[^/]*\.(md|ya?ml|json)$", re.IGNORECASE)
CARD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*.*\b(model card|intended use|limitations)\b", re.IGNORECASE | re.MULTILINE)
CARD_FRONT_MATTER = re.compile(r"\A---\s*\n.*?^(model-index|model_card)\s*:", re.DOTALL | re.MULTILINE)
LOCK_FILES = frozenset({"poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "conda-lock.yml", "conda-lock.yaml"})
REQUIREMENTS = re.compile(r"(^|/)requirements[^/]*\.(txt|in)$")
CONSTRAINTS = re.compile(r"(^|/)constraints[^/]*\.txt$")
CONDA_ENVIRONMENTS = frozenset({"environment.yml", "environment.yaml", "conda-lock.yml", "conda-lock.yaml"})
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
    meta.declarations = declarations(root, files)
    meta.versions = read_versions(root, files, meta.declarations)
    if (root / ".gitattributes").is_file() and ".gitattributes" not in files:
        meta.lfs_patterns += lfs_patterns(read(root / ".gitattributes"))
    if (root / ".dvc").is_dir():
        meta.dvc_files.append(".dvc")
    return meta


def declarations(root: Path, files: list[str]) -> list[Declaration]:
    """The ML libraries' lines in the declaration files ML607 reads (requirements, pyproject's
    [project] tables, setup.cfg, environment.yml, Pipfile)."""
    found = []
    for relative in files:
        name = relative.rsplit("/", 1)[-1]
        if REQUIREMENTS.search(relative):
            found += requirement_lines(relative, read(root / relative))
        elif name == "pyproject.toml":
            found += pyproject_dependencies(relative, read(root / relative))
        elif name == "setup.cfg":
            found += setup_cfg_dependencies(relative, read(root / relative))
        elif name in ("environment.yml", "environment.yaml"):
            found += conda_dependencies(relative, read(root / relative))
        elif name == "Pipfile":
            found += pipfile_dependencies(relative, read(root / relative))
    return found


def project_versions(root: Path, settings=None) -> KnownVersions:
    """The versions a project's files declare or lock, without the rest of its metadata."""
    files = walk(root, settings)[1]
    return read_versions(root, files, declarations(root, files))


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


# ----- the versions the project declares or locks ------------------------------------------

VERSIONED = frozenset(distribution(name) for name in ML_LIBRARIES)  # the libraries rules ask about
TOML_LOCKS = frozenset({"poetry.lock", "uv.lock", "pdm.lock"})


def read_versions(root: Path, files: list[str], declarations: list[Declaration]) -> KnownVersions:
    """Declared ranges (ML607's declarations; constraints files, pyproject's Poetry/PDM/uv tables,
    conda names and version prefixes in environment.yml) and locked versions (poetry.lock, uv.lock,
    pdm.lock, Pipfile.lock, conda-lock.yml)."""
    builder = VersionsBuilder()
    for declaration in declarations:  # ML607's reading of requirements files and [project] tables
        builder.declare(declaration.name, declaration.spec, declaration.file)
    for relative in files:
        name = relative.rsplit("/", 1)[-1]
        if CONSTRAINTS.search(relative):
            for declaration in requirement_lines(relative, read(root / relative)):
                builder.declare(declaration.name, declaration.spec, relative)
        elif name == "pyproject.toml":
            tool_dependencies(relative, read(root / relative), builder)
        elif name in TOML_LOCKS:
            for package in toml_document(read(root / relative)).get("package", []):
                if isinstance(package, dict) and interesting(package.get("name")):
                    builder.lock(package["name"], str(package.get("version", "")), relative)
        elif name == "Pipfile.lock":
            pipfile_lock(relative, read(root / relative), builder)
        elif name in CONDA_ENVIRONMENTS:
            conda_file(relative, read(root / relative), builder)
    return builder.build()


def interesting(name) -> bool:
    return isinstance(name, str) and distribution(name) in VERSIONED


def toml_document(text: str) -> dict:
    try:
        return parse_toml(text)
    except ValueError:
        return {}


def declare_table(table, source: str, builder: VersionsBuilder) -> None:
    """A `name = "spec"` / `name = {version = "spec"}` table (Poetry, Pipfile)."""
    if not isinstance(table, dict):
        return
    for name, value in table.items():
        spec = value.get("version") if isinstance(value, dict) else value
        if interesting(name) and isinstance(spec, str):
            builder.declare(name, spec, source)


def declare_list(requirements, source: str, builder: VersionsBuilder) -> None:
    """A list of PEP 508 requirements (PDM and uv groups)."""
    for requirement in requirements if isinstance(requirements, list) else []:
        match = REQUIREMENT.match(requirement) if isinstance(requirement, str) else None
        if match and interesting(match.group("name")):
            builder.declare(match.group("name"), match.group("spec"), source)


def tool_dependencies(relative: str, text: str, builder: VersionsBuilder) -> None:
    """Poetry's dependency tables and the PDM/uv groups ([project] is read with ML607's declarations)."""
    tool = toml_document(text).get("tool", {})
    poetry, pdm, uv = (tool.get(key, {}) if isinstance(tool.get(key), dict) else {} for key in ("poetry", "pdm", "uv"))
    declare_table(poetry.get("dependencies"), relative, builder)
    declare_table(poetry.get("dev-dependencies"), relative, builder)
    for group in (poetry.get("group") or {}).values():
        declare_table(group.get("dependencies") if isinstance(group, dict) else None, relative, builder)
    for group in (pdm.get("dev-dependencies") or {}).values():
        declare_list(group, relative, builder)
    for key in ("dev-dependencies", "constraint-dependencies", "override-dependencies"):
        declare_list(uv.get(key), relative, builder)


def pipfile_lock(relative: str, text: str, builder: VersionsBuilder) -> None:
    try:
        document = json.loads(text)
    except ValueError:
        return
    for section in ("default", "develop"):
        for name, entry in (document.get(section) or {}).items():
            version = entry.get("version", "") if isinstance(entry, dict) else ""
            if interesting(name) and version.startswith("=="):
                builder.lock(name, version[2:], relative)


CONDA_PACKAGE = re.compile(r"^\s*-\s*(?:[\w.-]+::)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>[=<>!~][^#\s]*)?\s*(#.*)?$")
CONDA_LOCKED = re.compile(r"^\s*-?\s*name:\s*(?P<name>\S+)\s*$")
CONDA_VERSION = re.compile(r"^\s*version:\s*['\"]?(?P<version>[^'\"\s]+)")


def conda_file(relative: str, text: str, builder: VersionsBuilder) -> None:
    """environment.yml's `- pytorch=2.6` (conda: 2.6.*) and pip `- torch==2.6.0` lines;
    conda-lock.yml's `name:` / `version:` entries."""
    lines = text.splitlines()
    if relative.rsplit("/", 1)[-1].startswith("conda-lock"):
        for number, line in enumerate(lines):
            named = CONDA_LOCKED.match(line)
            if named and interesting(named.group("name")):
                version = next((m.group("version") for later in lines[number + 1: number + 8]
                                if (m := CONDA_VERSION.match(later))), None)
                if version:
                    builder.lock(named.group("name"), version, relative)
        return
    for line in lines:
        match = CONDA_PACKAGE.match(line)
        if not match or not match.group("spec") or not interesting(match.group("name")):
            continue
        spec = match.group("spec")
        if re.match(r"^=[^=]", spec):  # conda's `=2.6` means 2.6.*, `=2.6.0=py3_cuda` a build of 2.6.0
            spec = "==" + spec[1:].split("=", 1)[0].rstrip(".*") + ".*"
        builder.declare(match.group("name"), spec, relative)
