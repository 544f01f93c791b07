"""ML601 no-experiment-tracking: the project trains and nothing in it tracks experiments."""

from __future__ import annotations

from ...rules.findings import Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from ..project.common import judged_alone, others, subject

RULE = Rule(
    code="ML601",
    name="no-experiment-tracking",
    severity=Severity.INFORMATION,
    principle="Versioning/Explainability",
    area="Documentation & Governance",
    red_flag="no experiment tracking",
    summary="The project trains a model but nothing in it tracks experiments.",
    why="Without a tracker the parameters, data version, metrics and artifacts of a run live only "
    "in a terminal scroll-back: the run cannot be compared with the next one, reproduced, or "
    "audited when the deployed model misbehaves. One tracked entry point (`tracking.py` used by "
    "`train.py`) is enough for the whole project.",
    bad="model.fit(X_train, y_train)\nprint(model.score(X_test, y_test))",
    good="import mlflow\n\nwith mlflow.start_run():\n    mlflow.log_params(model.get_params())\n"
    "    model.fit(X_train, y_train)\n    mlflow.log_metric(\"accuracy\", model.score(X_test, y_test))",
    versions="A Hugging Face `Trainer` whose `report_to` is left at its default reports to every "
    "installed tracker before transformers 5, and to none from 5 on. It counts as tracking unless the "
    "project's transformers is certainly 5 or newer.",
)


def trainer_reports_by_default(project) -> bool:
    """Before transformers 5 a Trainer reports to every installed tracker unless told not to;
    unless transformers >= 5 is certain, count it as tracking (precision first)."""
    if not project.any("default_report_trainer"):
        return False
    return project.meta.versions.at_least("transformers", "5") is not True


@RULE.project_checker
def check_no_experiment_tracking(project, rule):
    training = project.where("trains")
    if not training or project.any("tracks") or project.meta.dvc_metrics or trainer_reports_by_default(project):
        return
    path, at = training[0]
    yield project_finding(rule, path, at, f"{subject(project)} trains a model ({at.label}) but nothing in it "
                          "tracks experiments (mlflow, wandb, TensorBoard, ...): its parameters and metrics "
                          "are not recorded", others(training, "also trains a model"))


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
