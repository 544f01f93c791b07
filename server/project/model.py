"""The project's data: each file's facts, the project-level metadata, and project findings.

Plain data only (no analysis), so rules can read it without importing the fact pass."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..model.versions import UNKNOWN, KnownVersions
from ..rules.findings import Finding, Related
from ..parse.positions import Span

PINNING = re.compile(r"==|<|~=|===")  # an exact pin, an upper bound, or a compatible release


@dataclass(frozen=True)
class Evidence:
    """A place in a file that makes a fact true."""

    line: int
    col: int
    end_line: int
    end_col: int
    label: str

    @property
    def span(self) -> Span:
        return Span(self.line, self.col, self.end_line, self.end_col)


@dataclass
class FileFacts:
    trains: Evidence | None = None
    evaluates: Evidence | None = None
    tracks: Evidence | None = None
    # A Hugging Face Trainer with the default `report_to`: tracking depends on the transformers version.
    default_report_trainer: Evidence | None = None
    baseline: Evidence | None = None
    serves: Evidence | None = None
    monitors: Evidence | None = None
    saves: Evidence | None = None
    documents: Evidence | None = None
    reads_data: list[Evidence] = field(default_factory=list)  # label: the literal path
    versions_data: Evidence | None = None
    sensitive: list[Evidence] = field(default_factory=list)  # label: the attribute, first use of each
    per_group: list[Evidence] = field(default_factory=list)  # label: the attribute, or "*" (a fairness toolkit)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "FileFacts":
        def one(value):
            return Evidence(**value) if value else None

        facts = cls(**{name: one(value) for name, value in data.items() if not isinstance(value, list)})
        for name, value in data.items():
            if isinstance(value, list):
                setattr(facts, name, [Evidence(**item) for item in value])
        return facts


@dataclass(frozen=True)
class Declaration:
    """One dependency line of a declaration file."""

    file: str
    evidence: Evidence  # the requirement's text on its line
    name: str  # normalised: lower case, `_` and `.` as `-`
    spec: str

    @property
    def pinned(self) -> bool:
        return PINNING.search(self.spec) is not None

    @property
    def exact(self) -> bool:
        return "==" in self.spec


@dataclass
class ProjectMetadata:
    model_cards: list[str] = field(default_factory=list)  # files (or README sections) documenting a model
    dvc_files: list[str] = field(default_factory=list)
    dvc_metrics: list[str] = field(default_factory=list)  # dvc.yaml files declaring metrics or plots
    lfs_patterns: list[str] = field(default_factory=list)
    lock_files: list[str] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    versions: KnownVersions = UNKNOWN  # what the declarations and lock files say of each library's version

    def exactly_pinned(self, name: str) -> bool:
        return any(d.name == name and d.exact for d in self.declarations)


@dataclass
class Project:
    """All files' facts in path order, and the project-level metadata: what project rules read."""

    root: Path | None
    files: dict[str, FileFacts]
    meta: ProjectMetadata = field(default_factory=ProjectMetadata)

    def where(self, fact: str) -> list[tuple[str, Evidence]]:
        """(file, evidence) of every file where `fact` holds, in path order."""
        found = []
        for path, facts in self.files.items():
            value = getattr(facts, fact)
            if isinstance(value, list):
                found.extend((path, item) for item in value)
            elif value is not None:
                found.append((path, value))
        return found

    def first(self, fact: str) -> tuple[str, Evidence] | None:
        found = self.where(fact)
        return found[0] if found else None

    def any(self, fact: str) -> bool:
        return any(getattr(facts, fact) for facts in self.files.values())


@dataclass
class ProjectFinding:
    path: str  # root-relative; "" for the file analysed alone
    finding: Finding


def project_finding(rule, path: str, at: Evidence, message: str,
                    related: list[tuple[str, Evidence, str]] = (), **data) -> ProjectFinding:
    finding = Finding(rule, message, at.span, data=data, scope="project",
                      related=[Related(evidence.span, note, other) for other, evidence, note in related])
    return ProjectFinding(path, finding)


