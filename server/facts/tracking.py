"""Experiment-tracking evidence in one file (RULES.md ML601): read by the project facts."""

from __future__ import annotations

from ..model.module_model import ModuleModel

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
