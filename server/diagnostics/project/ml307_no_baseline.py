"""ML307 no-baseline: the project evaluates a trained model but never a baseline."""

from __future__ import annotations

from ...rules.findings import Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from .common import judged_alone, subject

RULE = Rule(
    code="ML307",
    name="no-baseline",
    severity=Severity.INFORMATION,
    principle="Explainability",
    area="Training & Evaluation",
    red_flag="no baseline comparison",
    summary="The project evaluates a trained model but never a baseline to compare it with.",
    why="An accuracy of 0.93 means nothing until it is compared with what a trivial model scores: "
    "on imbalanced data the majority class may score 0.95. A `DummyClassifier` (or the previous "
    "model) evaluated the same way shows whether the model learned anything.",
    bad="model.fit(X_train, y_train)\nprint(accuracy_score(y_test, model.predict(X_test)))",
    good="baseline = DummyClassifier(strategy=\"most_frequent\").fit(X_train, y_train)\n"
    "print(accuracy_score(y_test, baseline.predict(X_test)))\nmodel.fit(X_train, y_train)\n"
    "print(accuracy_score(y_test, model.predict(X_test)))",
)


@RULE.project_checker
def check_no_baseline(project, rule):
    if not project.any("trains") or project.any("baseline"):
        return
    evaluation = project.first("evaluates")
    if evaluation is None:
        return
    path, at = evaluation
    yield project_finding(rule, path, at, f"{subject(project)} evaluates its model but never a baseline "
                          "(a DummyClassifier/DummyRegressor or another model scored the same way): the "
                          "score cannot be judged")


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
