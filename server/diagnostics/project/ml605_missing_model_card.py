"""ML605 missing-model-card: the project saves or publishes a model and documents none."""

from __future__ import annotations

from ...rules.findings import Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from .common import judged_alone, subject

RULE = Rule(
    code="ML605",
    name="missing-model-card",
    severity=Severity.INFORMATION,
    principle="Explainability",
    area="Documentation & Governance",
    red_flag="missing documentation",
    summary="The project saves, registers or publishes a model but has no model card.",
    why="A saved model outlives the notebook that made it. Without a model card (intended use, "
    "training data, metrics, limitations) the next team cannot tell what it is fit for, and "
    "governance reviews have nothing to review.",
    bad="joblib.dump(model, f\"models/{run_id}.joblib\")  # and no MODEL_CARD.md anywhere",
    good="# MODEL_CARD.md next to the code: intended use, data, metrics, limitations\n"
    "joblib.dump(model, f\"models/{run_id}.joblib\")",
)


@RULE.project_checker
def check_missing_model_card(project, rule):
    save = project.first("saves")
    if save is None or project.meta.model_cards or project.any("documents"):
        return
    path, at = save
    yield project_finding(rule, path, at, f"{subject(project)} saves a model but documents none: no "
                          "MODEL_CARD.md, README section on intended use and limitations, or Hugging Face "
                          "ModelCard")


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
