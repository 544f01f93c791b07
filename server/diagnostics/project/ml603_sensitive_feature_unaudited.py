"""ML603 sensitive-feature-unaudited: a protected attribute feeds a model and no group is audited."""

from __future__ import annotations

from ...rules.findings import Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from .common import judged_alone

RULE = Rule(
    code="ML603",
    name="sensitive-feature-unaudited",
    severity=Severity.INFORMATION,
    principle="Explainability",
    area="Documentation & Governance",
    red_flag="no bias/fairness evaluation",
    summary="A protected attribute (sex, race, age, ...) is used by a trained model and no metric is "
    "computed per group of it.",
    why="A model that sees a protected attribute (or selects rows by it) can treat groups unequally "
    "while its overall score looks fine. Computing the metric per group (fairlearn's "
    "`MetricFrame`, or a `groupby` of the attribute) is how a reviewer knows whether it does.",
    bad="X = df[[\"age\", \"income\", \"sex\"]]\nmodel.fit(X, y)",
    good="X = df[[\"age\", \"income\", \"sex\"]]\nmodel.fit(X, y)\n"
    "MetricFrame(metrics=recall_score, y_true=y_test, y_pred=pred, sensitive_features=df_test[\"sex\"])",
)


@RULE.project_checker
def check_sensitive_feature_unaudited(project, rule):
    if not project.any("trains"):
        return
    audited = {at.label for _, at in project.where("per_group")}
    if "*" in audited:
        return
    training_files = {path for path, _ in project.where("trains")}
    reported = set()
    for path, at in project.where("sensitive"):
        if at.label in audited or at.label in reported or path not in training_files:
            continue
        reported.add(at.label)
        yield project_finding(rule, path, at, f"the protected attribute {at.label!r} is used by a model this "
                              "project trains, and no metric is computed per group of it (fairlearn "
                              f"MetricFrame, a groupby({at.label!r}) of predictions)", attribute=at.label)


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
