"""ML503 unpinned-pretrained."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from ...model.calls import argument, has_keyword, has_star_kwargs, keyword_constant
from ...model.bindings import name_bindings
from ...model.module_model import ModuleModel
from ...rules.findings import Finding, Severity
from ...rules.rule import Rule
from . import AREA
from .hugging_face import HF_ROOTS, hugging_face_calls

UNPINNED_PRETRAINED = Rule(
    code="ML503",
    name="unpinned-pretrained",
    severity=Severity.INFORMATION,
    principle="Versioning",
    area=AREA,
    red_flag="unversioned models or data",
    summary="A model or dataset is fetched from the Hugging Face hub or torch.hub by name "
    "(`org/name`) without pinning a revision.",
    why="A hub name points at whatever the owner pushed last. Weights, tokenizer or data can "
    "change under the same name, so last month's results cannot be reproduced and a serving "
    "restart may pick up a different model. Pin `revision=` to a commit (or `owner/repo:tag`).",
    bad='model = AutoModel.from_pretrained("org/model")',
    good='model = AutoModel.from_pretrained("org/model", revision="3f1c2b7")',
    on_by_default=False,
    opt_in_reason="Unpinned hub ids are the norm in tutorials and demo notebooks, where pinning would be "
    "noise: on the ecosystem corpus most of its notebook findings were per the rule but noise. Select it "
    "for training and serving code that must be reproducible.",
)
HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
FILE_SUFFIX = re.compile(r"\.(csv|tsv|jsonl?|parquet|arrow|txt|pt|pth|bin|safetensors|pkl|h5|onnx|zip|gz|tar)$",
                         re.IGNORECASE)
# `data/train` is a folder next to the script far more often than a hub organisation.
LOCAL_FOLDERS = {"data", "dataset", "datasets", "model", "models", "checkpoint", "checkpoints", "ckpt", "ckpts",
                 "output", "outputs", "runs", "results", "artifacts", "saved_model", "saved_models", "trained_models",
                 "pretrained", "pretrained_models", "weights", "logs", "experiments", "save", "saved", "tmp", "cache",
                 "work_dirs", "assets", "resources"}


def is_hub_id(node: ast.AST) -> bool:
    """A literal `org/name` (not a local path, not a variable, not `csv`)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    value = node.value
    return (HUB_ID.match(value) is not None and FILE_SUFFIX.search(value) is None
            and value.split("/")[0].lower() not in LOCAL_FOLDERS)


def hub_reference(model: ModuleModel, call: ast.Call, short: str):
    """The literal hub id argument of a call that fetches from the hub unpinned, else None."""
    if has_star_kwargs(call) or has_keyword(call, "revision"):
        return None
    if short == "from_pretrained":
        return argument(call, 0, "pretrained_model_name_or_path")
    if short == "pipeline":
        return argument(call, 1, "model")
    if short == "load_dataset":
        return argument(call, 0, "path")
    if short in ("hf_hub_download", "snapshot_download"):
        return argument(call, 0, "repo_id")
    return None


def constant_value(model: ModuleModel, chunk, reference: ast.AST | None) -> ast.AST | None:
    """`MODEL_ID` of `MODEL_ID = "org/name"` (bound once, at module level): the literal it holds."""
    if not isinstance(reference, ast.Name):
        return reference
    binding = name_bindings(model).lookup(reference.id, reference, chunk)
    if binding is None or binding.scope is not None or binding.kind != "value":
        return reference
    if len(name_bindings(model).module_level(reference.id)) != 1:
        return reference  # reassigned: which value reaches the call is a guess
    return binding.value if isinstance(binding.value, ast.Constant) else reference


@UNPINNED_PRETRAINED.checker
def check_unpinned_pretrained(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if model.imports_any(*HF_ROOTS):
        for chunk, call, short in hugging_face_calls(model):
            reference = hub_reference(model, call, short)
            value = constant_value(model, chunk, reference)
            if value is not None and is_hub_id(value):
                yield rule.finding(model, reference, f"`{short}(\"{value.value}\")` without `revision=`: "
                                   "the hub name may point at different weights tomorrow", chunk=chunk)
    if model.imports_any("torch"):
        for chunk, call in model.calls("torch.hub.load", "torch.hub.list", "torch.hub.help"):
            repo = argument(call, 0, "repo_or_dir")
            if keyword_constant(call, "source", "github") == "github" and is_hub_id(repo):
                yield rule.finding(model, repo, f"`torch.hub.load(\"{repo.value}\")` without a `:ref` "
                                   "fetches the default branch as it is today: pin `owner/repo:tag`",
                                   chunk=chunk)
