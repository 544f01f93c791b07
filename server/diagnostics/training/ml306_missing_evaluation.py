"""ML306 missing-evaluation: the project trains a model and nothing in it evaluates one."""

from __future__ import annotations

from ...rules.findings import Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from ..project.common import judged_alone, others, subject

RULE = Rule(
    code="ML306",
    name="missing-evaluation",
    severity=Severity.INFORMATION,
    principle="Explainability",
    area="Training & Evaluation",
    red_flag="missing evaluation metrics",
    summary="The project trains a model but nothing in it computes an evaluation metric.",
    why="A model whose quality was never measured cannot be compared with a baseline, a previous "
    "version or a requirement, and nobody can explain why it should be trusted. Evaluating on "
    "held-out data (a metric, `.score`, cross-validation) is the minimum a reviewer expects; "
    "it may live in another file of the project (an `evaluate.py`).",
    bad="model = RandomForestClassifier().fit(X_train, y_train)\njoblib.dump(model, path)",
    good="model = RandomForestClassifier().fit(X_train, y_train)\n"
    "print(f1_score(y_test, model.predict(X_test)))\njoblib.dump(model, path)",
)


@RULE.project_checker
def check_missing_evaluation(project, rule):
    training = project.where("trains")
    if not training or project.any("evaluates"):
        return
    path, at = training[0]
    yield project_finding(rule, path, at, f"{subject(project)} trains a model ({at.label}) but nothing in it "
                          "computes an evaluation metric (no sklearn.metrics, `.score`, cross-validation or "
                          "validation data)", others(training, "also trains a model"))


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
