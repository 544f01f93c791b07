"""ML101 split-without-seed."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...facts.rng_seeding import TORCH, seed_constant_of, seeding_of
from ...model.bindings import name_bindings
from ...model.calls import has_keyword, has_star_kwargs, keyword_constant
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.syntax import parent
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE
from .seeds import add_seed_keyword, keyword_fix_data, numpy_seeded

SPLIT_WITHOUT_SEED = Rule(
    code="ML101",
    name="split-without-seed",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    summary="A random split or shuffle (train_test_split, ShuffleSplit, KFold(shuffle=True), "
    "DataFrame.sample) is made without `random_state`.",
    why="Without a fixed `random_state` every run draws different train and test rows, so "
    "scores move between runs for no reason in the code, and nobody can reproduce the numbers "
    "in a report or compare two experiments fairly.",
    bad="X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)",
    good="SEED = 42\nX_train, X_test, y_train, y_test = train_test_split(\n"
    "    X, y, test_size=0.2, random_state=SEED\n)",
    fix_title="Add random_state=SEED",
)
MODEL_SELECTION = ("sklearn.model_selection.", "sklearn.cross_validation.")
ALWAYS_RANDOM_SPLITTERS = {
    "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold", "RepeatedStratifiedKFold",
}
SHUFFLE_SPLITTERS = {"KFold", "StratifiedKFold", "StratifiedGroupKFold"}


def split_needs_seed(name: str, call: ast.Call) -> bool:
    if not name.startswith(MODEL_SELECTION):
        return False
    short = name.rsplit(".", 1)[1]
    if short == "train_test_split":
        return keyword_constant(call, "shuffle", True) is not False
    if short in ALWAYS_RANDOM_SPLITTERS:
        return True
    return short in SHUFFLE_SPLITTERS and keyword_constant(call, "shuffle", False) is True


TORCH_RANDOM_SPLIT = ("torch.utils.data.random_split", "torch.utils.data.dataset.random_split")


@SPLIT_WITHOUT_SEED.checker
def check_split_without_seed(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if model.imports_any("torch"):
        yield from unseeded_random_splits(model, rule)
    if not model.imports_any("sklearn", "pandas", "datasets"):
        return
    seed_constant = seed_constant_of(model)
    findings = []
    for chunk, call, name in model.calls_matching(lambda n: n.startswith(MODEL_SELECTION)):
        if split_needs_seed(name, call) and not has_keyword(call, "random_state") and not has_star_kwargs(call):
            short = name.rsplit(".", 1)[1]
            findings.append(rule.finding(model, call, f"`{short}` is called without `random_state`: "
                                         "the split changes on every run", chunk=chunk,
                                         **keyword_fix_data(seed_constant, chunk, call)))
    if model.imports_any("pandas"):
        findings.extend(unseeded_samples(model, rule, seed_constant))
    if model.imports_any("datasets"):
        findings.extend(unseeded_dataset_splits(model, rule, seed_constant))
    # random_state=None means numpy's global generator (for pandas too): a file that seeds it splits
    # the same way on every run.
    if findings and not numpy_seeded(model):
        yield from findings


def unseeded_random_splits(model: ModuleModel, rule: Rule):
    """`random_split(ds, [0.8, 0.2])` without `generator=` draws from torch's global generator:
    reproducible only when the file seeds torch before the split."""
    seeding = None
    for chunk, call in model.calls(*TORCH_RANDOM_SPLIT):
        if has_keyword(call, "generator") or has_star_kwargs(call) or len(call.args) > 2:
            continue
        seeding = seeding or seeding_of(model)
        if not seeding.seeded(TORCH, chunk, call):
            yield rule.finding(model, call, "`random_split` without `generator=` splits differently on every "
                               "run: pass `generator=torch.Generator().manual_seed(SEED)`", chunk=chunk,
                               fixable=False)


def unseeded_dataset_splits(model: ModuleModel, rule: Rule, seed_constant):
    """`ds.train_test_split(test_size=0.1)` of a Hugging Face `datasets.Dataset`, without `seed=`
    (it then draws its seed from numpy's global generator)."""
    for chunk, call in model.method_calls("train_test_split"):
        if model.resolve(call.func) is None and not has_keyword(call, "seed", "generator") \
                and not has_star_kwargs(call) and keyword_constant(call, "shuffle", True) is not False:
            yield rule.finding(model, call, "`.train_test_split()` without `seed=`: the split changes on "
                               "every run", chunk=chunk, keyword="seed",
                               **keyword_fix_data(seed_constant, chunk, call))


def unseeded_samples(model: ModuleModel, rule: Rule, seed_constant):
    """`df.sample(...)` whose result is kept, on something that is not a module function."""
    own_sample = defines_sample_method(model)
    for chunk, call in model.method_calls("sample"):
        if model.resolve(call.func) is None and not has_keyword(call, "random_state") \
                and not has_star_kwargs(call) and result_is_assigned(call) \
                and not bound_to_non_pandas(model, chunk, call) and not is_space(call.func.value) \
                and not (own_sample and isinstance(call.func.value, ast.Attribute)):
            yield rule.finding(model, call, "`.sample()` draws different rows on every run: "
                               "pass `random_state`", chunk=chunk, **keyword_fix_data(seed_constant, chunk, call))


def defines_sample_method(model: ModuleModel) -> bool:
    """A class of the file has its own `sample` (a replay buffer): `self.buffer.sample(n)` is likely it."""
    return any(isinstance(parent(fn), ast.ClassDef) and fn.name == "sample"
               for _, fn in model.nodes(ast.FunctionDef))


def is_space(receiver: ast.AST) -> bool:
    """`env.action_space.sample()`: a gym space, not a DataFrame."""
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return name.endswith("_space")


def result_is_assigned(call: ast.Call) -> bool:
    """True for `x = df.sample(...)` and chains such as `x = df.sample(frac=1).reset_index()`."""
    node: ast.AST = call
    while isinstance(up := parent(node), (ast.Attribute, ast.Call)) and (
        isinstance(up, ast.Attribute) or up.func is node
    ):
        node = up
    return isinstance(parent(node), (ast.Assign, ast.AnnAssign)) and parent(node).value is node


def bound_to_non_pandas(model: ModuleModel, chunk: Chunk, call: ast.Call) -> bool:
    """`rng = random.Random(0); rng.sample(...)`: a receiver built by a non-pandas call."""
    receiver = call.func.value
    if not isinstance(receiver, ast.Name):
        return False
    binding = name_bindings(model).lookup(receiver.id, call, chunk)
    origin = model.call_name(binding.value) if binding and isinstance(binding.value, ast.Call) else None
    return origin is not None and not origin.startswith("pandas")


@SPLIT_WITHOUT_SEED.fixer
def fix_add_random_state(text: str, finding: Finding) -> Fix | None:
    return add_seed_keyword(text, finding, finding.data.get("keyword", "random_state"))
