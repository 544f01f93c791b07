"""ML607 unpinned-ml-dependencies: ML libraries declared without an upper bound or exact pin."""

from __future__ import annotations

import re

from ...rules.findings import Edit, Fix, Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from .common import judged_alone

RULE = Rule(
    code="ML607",
    name="unpinned-ml-dependencies",
    severity=Severity.WARNING,
    principle="Reproducibility",
    area="Infrastructure & Scale",
    summary="An ML library whose results change across versions is declared with no pin or upper bound, "
    "and no lock file fixes it.",
    why="scikit-learn, torch, pandas and friends change defaults, random streams and numerics "
    "between releases: `scikit-learn>=1.0` trains a different model next year. A lock file or "
    "an exact pin makes the environment, and so the results, reproducible.",
    bad="scikit-learn>=1.0\npandas",
    good="scikit-learn==1.5.2\npandas==2.2.3",
    fix_title="Pin to the installed version",
    on_by_default=False,
    opt_in_reason="Tutorial folders and templates declare loose requirements on purpose, often for "
    "libraries that only draw a plot or that no file imports: on the ecosystem corpus 5 of its 6 findings "
    "were per the rule but noise. Select it for projects that train and ship models.",
)
DISTRIBUTION = {"sklearn": "scikit-learn"}


def installed_version(name: str) -> str | None:
    from importlib import metadata  # only for a fix: a tenth of a small file's check otherwise

    try:
        return metadata.version(DISTRIBUTION.get(name, name))
    except metadata.PackageNotFoundError:
        return None


@RULE.project_checker
def check_unpinned_ml_dependencies(project, rule):
    if project.meta.lock_files:
        return
    by_file: dict[str, list] = {}
    for declaration in project.meta.declarations:
        if not declaration.pinned and not project.meta.exactly_pinned(declaration.name):
            by_file.setdefault(declaration.file, []).append(declaration)
    for path, unpinned in by_file.items():
        first = unpinned[0]
        version = installed_version(first.name)
        yield project_finding(
            rule, path, first.evidence,
            f"{first.name} is declared without a pin or upper bound and no lock file fixes it: its "
            "results change across versions", [(path, d.evidence, f"{d.name} is unpinned too") for d in unpinned[1:]],
            requirement=first.name, version=version, fixable=version is not None and written_as_pep508(path))


def written_as_pep508(path: str) -> bool:
    """A Pipfile states versions apart from the names (`numpy = "*"`): the pin is not one edit."""
    return path.rsplit("/", 1)[-1] != "Pipfile"


@RULE.fixer
def fix_unpinned_ml_dependencies(text: str, finding):
    """`scikit-learn[extra]>=1.0` becomes `scikit-learn[extra]==<installed>` on the anchor line (unsafe:
    the installed version is the server's interpreter's)."""
    version = finding.data.get("version")
    span = finding.span
    lines = text.splitlines(keepends=True)
    if not version or span.line > len(lines):
        return None
    requirement = lines[span.line - 1][span.col:span.end_col]
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?)", requirement)
    if match is None:
        return None
    pinned = f"{match.group(1).strip()}=={version}"
    return Fix(f"Pin {finding.data['requirement']} to the installed {version}", (Edit(span, pinned),), "unsafe")


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
