"""ML103 global-rng-unseeded."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ...facts.rng_seeding import (
    NUMPY,
    STDLIB,
    generators_seeded_by,
    position,
    seed_constant_of,
    seeding_of,
    top_level_alias,
)
from ...model.calls import argument, has_star_kwargs
from ...model.module_model import ModuleModel
from ...parse.chunks import Chunk
from ...parse.syntax import dotted_name, parent
from ...rules.findings import Finding, Fix, Severity
from ...rules.rule import Rule
from . import AREA, PRINCIPLE
from .seeds import insert_seed_call, keyword_fix_data, narrowed, seed_call_data

GLOBAL_RNG_UNSEEDED = Rule(
    code="ML103",
    name="global-rng-unseeded",
    severity=Severity.WARNING,
    principle=PRINCIPLE,
    area=AREA,
    summary="numpy's legacy global RNG (`np.random.rand`, `choice`, `shuffle`, ...) or the `random` "
    "module is used before it is seeded, or `np.random.default_rng()` is created without a seed.",
    why="Numbers drawn from an unseeded generator differ on every run: the rows you subsample, the "
    "noise you add and the order you shuffle in all change, and with them every number downstream. "
    "Seed the generator once, or better pass a seeded `np.random.default_rng(SEED)` around.",
    bad="keep = np.random.choice(len(df), size=1000, replace=False)",
    good="SEED = 42\nnp.random.seed(SEED)\nkeep = np.random.choice(len(df), size=1000, replace=False)",
    fix_title="Seed the generator after the imports",
    on_by_default=False,
    opt_in_reason="On real code most unseeded draws make illustrative data for a plot or a printout, pick "
    "examples to display, or are random by design (sampling, a game agent): on the ecosystem corpus more "
    "than half of its findings were per the rule but noise, far over the 10% the default selection allows.",
)
NUMPY_LEGACY_SAMPLERS = frozenset("""
    beta binomial bytes chisquare choice dirichlet exponential f gamma geometric gumbel hypergeometric
    laplace logistic lognormal logseries multinomial multivariate_normal negative_binomial
    noncentral_chisquare noncentral_f normal pareto permutation poisson power rand randint randn random
    random_integers random_sample ranf rayleigh sample shuffle standard_cauchy standard_exponential
    standard_gamma standard_normal standard_t triangular uniform vonmises wald weibull zipf
""".split())
STDLIB_SAMPLERS = frozenset("""
    random uniform triangular randint randrange choice choices shuffle sample gauss normalvariate
    lognormvariate expovariate vonmisesvariate gammavariate betavariate paretovariate weibullvariate
    getrandbits randbytes binomialvariate
""".split())
GENERATOR_CONSTRUCTORS = {"numpy.random.default_rng": "default_rng", "numpy.random.RandomState": "RandomState"}
GLOBAL_GENERATOR_NAMES = {NUMPY: "numpy's global generator", STDLIB: "the `random` module"}


def global_generator(name: str) -> str | None:
    """NUMPY / STDLIB for a function drawing from that global generator, else None."""
    module, _, function = name.rpartition(".")
    if module == "numpy.random" and function in NUMPY_LEGACY_SAMPLERS:
        return NUMPY
    if module == "random" and function in STDLIB_SAMPLERS:
        return STDLIB
    return None


def without_seed(call: ast.Call) -> bool:
    """`default_rng()` / `default_rng(None)` / `RandomState(seed=None)`; unknown (`*a`, `**kw`) is seeded."""
    if has_star_kwargs(call) or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    value = argument(call, 0, "seed")
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


@GLOBAL_RNG_UNSEEDED.checker
def check_global_rng_unseeded(model: ModuleModel, rule: Rule) -> Iterable[Finding]:
    if not model.imports_any("numpy", "random"):
        return
    uses = []
    seed_constant = seed_constant_of(model)
    for chunk, call, name in model.calls_matching(lambda n: n.startswith(("numpy.random.", "random."))):
        if name in GENERATOR_CONSTRUCTORS:
            if without_seed(call):
                yield rule.finding(model, call, f"`{GENERATOR_CONSTRUCTORS[name]}()` without a seed draws "
                                   "fresh OS entropy on every run: pass a seed", chunk=chunk, kind="constructor",
                                   **keyword_fix_data(seed_constant, chunk, call))
        elif (generator := global_generator(name)) is not None:
            uses.append((position(chunk, call), chunk, call, name, generator))
    if not uses:
        return
    seed_names = names_passed_to_seeders(model)
    uses = [use for use in uses if not picks_the_seed(use[2], seed_names)]
    seeding = seeding_of(model)
    reported: set[str] = set()
    for _, chunk, call, name, generator in sorted(uses, key=lambda use: use[0]):
        if generator in reported or seeding.seeded(generator, chunk, call):
            continue
        reported.add(generator)  # the first unseeded use per generator is enough
        when = "before it is seeded" if seeding.seeded_somewhere(generator) else "which this file never seeds"
        yield rule.finding(model, call, f"`{dotted_name(call.func) or name}` draws from "
                           f"{GLOBAL_GENERATOR_NAMES[generator]}, {when}: results change on every run",
                           chunk=chunk, kind="global", generator=generator,
                           **global_seed_fix_data(model, seed_constant, chunk, call, generator))


def names_passed_to_seeders(model: ModuleModel) -> frozenset[str]:
    """`seed` of `random.seed(seed)`, `torch.manual_seed(seed)`, ...: names that hold a seed."""
    return frozenset(arg.id for _, call, _ in model.calls_matching(generators_seeded_by)
                     for arg in [*call.args, *(kw.value for kw in call.keywords)] if isinstance(arg, ast.Name))


def picks_the_seed(call: ast.Call, seed_names: frozenset[str]) -> bool:
    """`manualSeed = random.randint(1, 10000)` then `random.seed(manualSeed)`: the draw picks the
    seed (and the code usually prints it to reproduce the run later); it draws nothing the results use."""
    up = parent(call)
    return (isinstance(up, ast.Assign) and up.value is call and len(up.targets) == 1
            and isinstance(up.targets[0], ast.Name) and up.targets[0].id in seed_names)


def global_seed_fix_data(model: ModuleModel, seed_constant, chunk: Chunk, call: ast.Call, generator: str) -> dict:
    """How to seed: `np.random.seed(SEED)` through the file's own module alias, if it has one."""
    if generator == NUMPY:
        if (alias := top_level_alias(model, "numpy")) is not None:
            code = f"{alias}.random.seed({{seed}})"
        else:
            alias = top_level_alias(model, "numpy.random")
            code = alias and f"{alias}.seed({{seed}})"
    else:
        alias = top_level_alias(model, "random")
        code = alias and f"{alias}.seed({{seed}})"
    return seed_call_data(seed_constant, chunk, call, code, alias)


@GLOBAL_RNG_UNSEEDED.fixer
def fix_global_rng(text: str, finding: Finding) -> Fix | None:
    if finding.data.get("kind") == "constructor":
        return add_seed_argument(text, finding)
    return insert_seed_call(text, finding)


def add_seed_argument(text: str, finding: Finding) -> Fix | None:
    """`default_rng()` -> `default_rng(SEED)` (a `None` seed is replaced)."""
    import libcst as cst

    from ...fixes.cst import StatementPatch
    from ...fixes.seeding import module_layout, seed_name_and_edits

    first, last = finding.data["statement"]
    patch = StatementPatch(text, first, last)
    call = patch.node_at(finding.span)
    if call is None:
        return None
    seed, seed_edits, _ = seed_name_and_edits(module_layout(text))
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is None or arg.keyword.value == "seed":
            args[index] = arg.with_changes(value=cst.Name(seed))
            break
    else:
        args.append(cst.Arg(cst.Name(seed)))
    edit = narrowed(text, patch.replace(call, call.with_changes(args=args)))
    return Fix(f"Pass {seed} to the generator", (edit, *seed_edits))
