"""ML601 no-experiment-tracking."""

from __future__ import annotations

from collections.abc import Iterable

from ...facts.training_calls import first_training_call
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule

AREA = "Documentation & Governance"


NO_EXPERIMENT_TRACKING = Rule(
    code="ML601",
    name="no-experiment-tracking",
    severity=Severity.INFORMATION,
    principle="Versioning/Explainability",
    area=AREA,
    red_flag="no experiment tracking",
    summary="The file trains a model but imports no experiment tracker.",
    why="Without a tracker the parameters, data version, metrics and artifacts of a run live only "
    "in a terminal scroll-back: the run cannot be compared with the next one, reproduced, or "
    "audited when the deployed model misbehaves.",
    bad="model.fit(X_train, y_train)\nprint(model.score(X_test, y_test))",
    good="import mlflow\n\nwith mlflow.start_run():\n    mlflow.log_params(model.get_params())\n"
    "    model.fit(X_train, y_train)\n    mlflow.log_metric(\"accuracy\", model.score(X_test, y_test))",
)
TRACKER_ROOTS = ("mlflow", "wandb", "neptune", "comet_ml", "clearml", "dvclive", "aim", "sacred", "tensorboardX")
TRACKER_MODULES = (
    "torch.utils.tensorboard",
    "pytorch_lightning.loggers", "lightning.pytorch.loggers", "lightning.fabric.loggers", "lightning.loggers",
)
KERAS_LOGGING_CALLBACKS = ("TensorBoard", "CSVLogger")
KERAS_ROOTS = ("keras.", "tensorflow.keras.", "tensorflow.python.keras.", "tf_keras.")


def is_tracker(qualname: str) -> bool:
    if any(qualname == m or qualname.startswith(m + ".") for m in TRACKER_MODULES):
        return True
    return qualname.startswith(KERAS_ROOTS) and ".callbacks." in qualname \
        and qualname.rsplit(".", 1)[-1] in KERAS_LOGGING_CALLBACKS


def tracks_experiments(model: ModuleModel) -> bool:
    """A tracker imported (or reached through a package alias, `tf.keras.callbacks.TensorBoard`)."""
    if model.imports_any(*TRACKER_ROOTS):
        return True
    if any(is_tracker(fact.qualname) for fact in model.import_facts):
        return True
    return any(True for _ in model.calls_matching(is_tracker))


@NO_EXPERIMENT_TRACKING.checker
def check_no_experiment_tracking(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    training = first_training_call(model)
    if training is None or tracks_experiments(model):
        return
    yield rule.finding(model, training.call, f"This file trains a model ({training.label}) but imports no "
                       "experiment tracker (mlflow, wandb, TensorBoard, ...): its parameters and "
                       "metrics are not recorded", chunk=training.chunk)
