"""ML606 unversioned-training-data: training data read from project files that nothing versions."""

from __future__ import annotations

import fnmatch

from ...rules.findings import Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from .common import judged_alone, subject

RULE = Rule(
    code="ML606",
    name="unversioned-training-data",
    severity=Severity.INFORMATION,
    principle="Versioning",
    area="Data Pipeline",
    red_flag="unversioned models or data",
    summary="The project trains on data files of its own tree that nothing versions (DVC, Git LFS, a hash).",
    why="When `data/train.csv` changes, every result computed from it silently changes too, and "
    "the model in production can no longer be traced to the data it learned from. DVC, Git LFS "
    "or at least a recorded hash ties each run to the exact data.",
    bad="df = pd.read_csv(\"data/train.csv\")\nmodel.fit(df[features], df[target])",
    good="# dvc add data/train.csv  (data/train.csv.dvc is committed)\n"
    "df = pd.read_csv(\"data/train.csv\")\nmodel.fit(df[features], df[target])",
)


def tracked_by_lfs(project, path: str) -> bool:
    path = path.removeprefix("./")
    return any(fnmatch.fnmatch(path, pattern.lstrip("/")) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern)
               for pattern in project.meta.lfs_patterns)


@RULE.project_checker
def check_unversioned_training_data(project, rule):
    if not project.any("trains") or project.meta.dvc_files or project.any("versions_data"):
        return
    training_files = {path for path, _ in project.where("trains")}
    for path, at in project.where("reads_data"):
        if path in training_files and not tracked_by_lfs(project, at.label):
            yield project_finding(rule, path, at, f"{subject(project)} trains on {at.label!r}, a file that "
                                  "nothing versions (no DVC, Git LFS or recorded hash): results cannot be "
                                  "traced to the data", data_file=at.label)
            return


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
