"""ML1: reproducibility. Randomness that is not seeded makes results unrepeatable."""

from __future__ import annotations

import ast
import re

from ..core.calls import has_keyword, has_star_kwargs, keyword_constant
from ..core.facts import enclosing_statement, parent
from ..core.findings import Fix, Severity
from ..core.rules import Rule

PRINCIPLE = "Reproducibility"
AREA = "Model Development"

# ----- ML101 split-without-seed ------------------------------------------------------------

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


@SPLIT_WITHOUT_SEED.checker
def check_split_without_seed(model, rule):
    if not model.imports_any("sklearn", "pandas"):
        return
    for chunk, call, name in model.calls_matching(lambda n: n.startswith(MODEL_SELECTION)):
        if split_needs_seed(name, call) and not has_keyword(call, "random_state") and not has_star_kwargs(call):
            short = name.rsplit(".", 1)[1]
            yield rule.finding(model, call, f"`{short}` is called without `random_state`: "
                               "the split changes on every run", chunk=chunk)
    if model.imports_any("pandas"):
        yield from unseeded_samples(model, rule)


def unseeded_samples(model, rule):
    """`df.sample(...)` whose result is kept, on something that is not a module function."""
    for chunk, call in model.nodes(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "sample"):
            continue
        if model.resolve(func) is not None or has_keyword(call, "random_state") or has_star_kwargs(call):
            continue
        if result_is_assigned(call) and not bound_to_non_pandas(model, func.value):
            yield rule.finding(model, call, "`.sample()` draws different rows on every run: "
                               "pass `random_state`", chunk=chunk)


def result_is_assigned(call: ast.Call) -> bool:
    """True for `x = df.sample(...)` and chains such as `x = df.sample(frac=1).reset_index()`."""
    node: ast.AST = call
    while isinstance(up := parent(node), (ast.Attribute, ast.Call)) and (
        isinstance(up, ast.Attribute) or up.func is node
    ):
        node = up
    return isinstance(parent(node), (ast.Assign, ast.AnnAssign)) and parent(node).value is node


def bound_to_non_pandas(model, receiver: ast.AST) -> bool:
    """`rng = random.Random(0); rng.sample(...)`: a receiver built by a non-pandas call."""
    if not isinstance(receiver, ast.Name):
        return False
    for _, assign in model.nodes(ast.Assign):
        if any(isinstance(t, ast.Name) and t.id == receiver.id for t in assign.targets):
            if isinstance(assign.value, ast.Call):
                origin = model.call_name(assign.value)
                if origin is not None and not origin.startswith("pandas"):
                    return True
    return False


@SPLIT_WITHOUT_SEED.fixer
def fix_add_random_state(text, finding):
    return add_seed_keyword(text, finding, "random_state")


def add_seed_keyword(text: str, finding, keyword_name: str) -> Fix | None:
    """Add `keyword_name=SEED` to the call the finding covers, defining SEED if needed."""
    from ..fixes.cst import StatementPatch, with_keyword
    from ..fixes.seeding import ModuleLayout, seed_name_and_edits

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span)
    if call is None:
        return None
    seed, seed_edits, _ = seed_name_and_edits(ModuleLayout(text))
    edit = patch.replace(call, with_keyword(call, keyword_name, seed))
    return Fix(f"Add {keyword_name}={seed}", (edit, *seed_edits))


RULES = [SPLIT_WITHOUT_SEED]
