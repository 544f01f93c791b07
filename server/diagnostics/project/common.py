"""What the project rules share: the per-file meaning (`project = false`, or a file analysed
on its own) and the wording of "the project" versus "this file"."""

from __future__ import annotations

from ...model.module_model import per_version


def judged_alone(model, rule):
    """A project rule's round-1 meaning for a file analysed alone (`project = false`, a buffer
    outside any project): the file is the project. In a project the runner judges it instead."""
    if getattr(model, "in_project", False):
        return
    for found in rule.project_check(alone_project(model), rule):
        yield found.finding


@per_version
def alone_project(model):
    """The project of this file alone, shared by the project rules."""
    from ...project.index import facts_of_version  # the project layer builds the facts
    from ...project.model import Project, ProjectMetadata

    meta = ProjectMetadata(versions=model.versions)  # the versions of the file's environment
    return Project(None, {"": facts_of_version(model)}, meta)


def subject(project) -> str:
    return "This file" if project.root is None else "This project"


def others(found, note: str) -> list:
    """`related` entries for the other files of `found` (one per file, after the anchor's)."""
    seen = {found[0][0]}
    related = []
    for path, evidence in found[1:]:
        if path not in seen:
            seen.add(path)
            related.append((path, evidence, note))
    return related
