"""ML602 hardcoded-hyperparameters."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePath

from ...facts.configuration import configuration_mechanism
from ...facts.torch_models import is_optimizer_constructor
from ...facts.training_calls import SKLEARN_MODEL_MODULES, SKLEARN_NOT_MODELS
from ...model.calls import has_star_kwargs
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule

HARDCODED_HYPERPARAMETERS = Rule(
    code="ML602",
    name="hardcoded-hyperparameters",
    severity=Severity.HINT,
    principle="Versioning/Explainability",
    area="Documentation & Governance",
    red_flag="hardcoded hyperparameters",
    summary="An estimator, optimizer or trainer is built with two or more numeric literal "
    "hyperparameters in a file that has no configuration mechanism (one finding per file, on the "
    "first such constructor).",
    why="Hyperparameters buried in a constructor call cannot be changed without editing code, are "
    "not recorded next to the results they produced, and cannot be swept or compared across runs. "
    "A configuration (command-line arguments, a config file, named constants) makes every run "
    "say which values it used.",
    bad="model = RandomForestClassifier(n_estimators=500, max_depth=12)",
    good="parser.add_argument(\"--n-estimators\", type=int, default=500)\n"
    "parser.add_argument(\"--max-depth\", type=int, default=12)\nargs = parser.parse_args()\n"
    "model = RandomForestClassifier(n_estimators=args.n_estimators, max_depth=args.max_depth)",
    on_by_default=False,
    opt_in_reason="Literal hyperparameters are the norm, and often the point, in tutorials, course "
    "exercises, book chapters and demo notebooks: on the ecosystem corpus every one of its findings was "
    "per the rule but noise in that code. Turn it on for training code that is run again and again.",
)

# Arguments that set up a run rather than the model: how many threads, where, how chatty, which seed.
NOT_HYPERPARAMETERS = frozenset({
    "random_state", "seed", "random_seed", "n_jobs", "verbose", "verbosity", "nthread", "n_threads",
    "num_threads", "thread_count", "gpu_id", "device", "devices", "gpus", "num_nodes", "logging_steps",
    "save_steps", "eval_steps", "save_total_limit", "log_every_n_steps", "precision",
    "dataloader_num_workers", "num_workers", "local_rank", "cache_size", "silent", "print_every",
    "num_sanity_val_steps", "max_iter", "tol", "warm_start", "refresh_rate", "log_level", "n_init",
})
GRADIENT_BOOSTING = re.compile(r"^(xgboost\.XGB\w+|lightgbm\.LGBM\w+|catboost\.CatBoost\w*)$")
TRAINER_CONFIGS = frozenset({
    "transformers.TrainingArguments", "transformers.Seq2SeqTrainingArguments",
    "lightning.Trainer", "lightning.pytorch.Trainer", "pytorch_lightning.Trainer",
})
KERAS_OPTIMIZERS = ("keras.optimizers.", "tensorflow.keras.optimizers.", "tf_keras.optimizers.")
MIN_LITERALS = 2


def is_tuned_constructor(qualname: str) -> bool:
    """A model, optimizer or training configuration whose arguments are hyperparameters."""
    parts = qualname.split(".")
    if parts[0] == "sklearn" and len(parts) >= 3:
        return parts[1] in SKLEARN_MODEL_MODULES and parts[-1][:1].isupper() and parts[-1] not in SKLEARN_NOT_MODELS
    keras_optimizer = qualname.startswith(KERAS_OPTIMIZERS) and ".schedules." not in qualname
    return (GRADIENT_BOOSTING.match(qualname) is not None or is_optimizer_constructor(qualname)
            or keras_optimizer or qualname in TRAINER_CONFIGS)


@HARDCODED_HYPERPARAMETERS.checker
def check_hardcoded_hyperparameters(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if not model.imports_any("sklearn", "xgboost", "lightgbm", "catboost", "torch", "keras", "tensorflow",
                             "transformers", "lightning", "pytorch_lightning") or is_test_file(model.path):
        return
    constructors = [(chunk, call, name) for chunk, call, name in model.calls_matching(is_tuned_constructor)
                    if not has_star_kwargs(call) and len(literal_hyperparameters(call)) >= MIN_LITERALS]
    if not constructors or configuration_mechanism(model) is not None:
        return
    chunk, call, name = constructors[0]  # one finding per file: the file lacks a configuration
    literals = literal_hyperparameters(call)
    shown = ", ".join(f"`{label}`" for label in literals[:3]) + (", ..." if len(literals) > 3 else "")
    others = len(constructors) - 1
    also = f" ({others} more constructor{'s' if others > 1 else ''} below)" if others else ""
    yield rule.finding(model, call, f"`{name.rsplit('.', 1)[-1]}` is built with {len(literals)} hardcoded "
                       f"hyperparameters ({shown}){also} and this file has no configuration: pass them from "
                       "arguments, a config file or named constants so each run records its values", chunk=chunk)


def literal_hyperparameters(call: ast.Call) -> list[str]:
    """`lr=0.01`-style labels of the numeric literal arguments that are hyperparameters."""
    found = [f"{k.arg}={literal_text(k.value)}" for k in call.keywords
             if k.arg not in NOT_HYPERPARAMETERS and literal_text(k.value) is not None]
    found += [literal_text(arg) for arg in call.args if literal_text(arg) is not None]
    return found


def literal_text(node: ast.AST) -> str | None:
    """`0.01`, `-1`, `1e-3` for a number literal (not a bool), else None."""
    sign = ""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = "-", node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return f"{sign}{node.value!r}"
    return None


def is_test_file(path: str | None) -> bool:
    """Tests pin values on purpose."""
    if not path:
        return False
    parts = PurePath(path).parts
    return parts[-1].startswith("test_") or parts[-1].endswith("_test.py") or "tests" in parts[:-1]
