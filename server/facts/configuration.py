"""Does a file take its parameters from a configuration mechanism? (read by ML602)

A mechanism is a command-line parser (argparse, click, typer, fire, absl, ...), a
configuration library (hydra, omegaconf, gin, ml_collections, pydantic settings, ...),
a loaded YAML/JSON/TOML file, environment variables, `sys.argv`, a hyperparameter
search (optuna, ray tune, `wandb.config`), module-level UPPER_CASE numeric constants,
a configuration class or dict (`@dataclass class TrainConfig`, `class CFG:`,
`params = {...}`), or, in a notebook, one cell that only assigns constants.
Precision first: any of them is enough for the whole file.
"""

from __future__ import annotations

import ast
import re

from ..model.call_sites import attribute_nodes
from ..parse.syntax import enclosing_scope

PARSER_ROOTS = frozenset({
    "argparse", "click", "typer", "fire", "absl", "docopt", "tyro", "jsonargparse", "simple_parsing",
    "hydra", "omegaconf", "gin", "ml_collections", "configparser", "dynaconf", "pydantic_settings",
    "sacred", "optuna", "hyperopt", "configargparse", "yacs", "mmengine",
})
PARSER_NAMES = frozenset({
    "transformers.HfArgumentParser", "lightning.pytorch.cli.LightningCLI", "pytorch_lightning.cli.LightningCLI",
    "lightning.pytorch.utilities.cli.LightningCLI", "ray.tune.Tuner", "ray.tune.run",
})
CONFIG_LOADERS = frozenset({
    "yaml.load", "yaml.safe_load", "yaml.full_load", "yaml.unsafe_load", "json.load", "toml.load",
    "tomllib.load", "tomli.load", "os.getenv", "os.environ.get", "dotenv.load_dotenv",
})
CONFIG_ATTRIBUTES = {"environ": "os.environ", "argv": "sys.argv", "config": "wandb.config"}
CONFIG_BASES = ("pydantic.BaseModel", "pydantic.BaseSettings", "pydantic_settings.BaseSettings",
                "typing.NamedTuple", "dataclasses.dataclass")
CONFIG_NAME = re.compile(r"(config|cfg|conf|args|params|hparams|hyper|settings|options)", re.IGNORECASE)
UPPER_CASE = re.compile(r"^_?[A-Z][A-Z0-9_]+$")
SEED_LIKE = re.compile(r"^_?(SEED|RANDOM_STATE|RANDOM_SEED|SEED_VALUE)$")


def configuration_mechanism(model) -> str | None:
    """What configures the file (for messages and tests), or None; computed once per model."""
    cache = model.__dict__
    if "_configuration_mechanism" not in cache:
        cache["_configuration_mechanism"] = find_mechanism(model)
    return cache["_configuration_mechanism"]


def find_mechanism(model) -> str | None:
    roots = model.imported_roots & PARSER_ROOTS
    if roots:
        return f"imports {sorted(roots)[0]}"
    for _, _, name in model.calls_matching(lambda n: n in PARSER_NAMES or n in CONFIG_LOADERS):
        return f"calls {name}"
    for attribute, qualname in CONFIG_ATTRIBUTES.items():
        if any(model.resolve(node) == qualname for _, node in attribute_nodes(model, attribute)):
            return f"reads {qualname}"
    return module_level_configuration(model) or configuration_class(model) or constants_cell(model)


def module_level_configuration(model) -> str | None:
    """`LEARNING_RATE = 1e-3` (not a lone SEED) or `params = {...}` at module level."""
    for chunk, node in model.nodes(ast.Assign, ast.AnnAssign):
        if enclosing_scope(node) is not None or not isinstance(getattr(node, "_parent", None), ast.Module):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if any(UPPER_CASE.match(n) and not SEED_LIKE.match(n) for n in names) and has_number(node.value):
            return f"defines the constant {names[0]}"
        if isinstance(node.value, ast.Dict) and any(CONFIG_NAME.search(n) for n in names) \
                and has_number(node.value):
            return f"defines the dict {names[0]}"
    return None


def configuration_class(model) -> str | None:
    """A dataclass, pydantic model or NamedTuple, or a class named like a configuration (`class CFG:`)."""
    for _, cls in model.nodes(ast.ClassDef):
        named = CONFIG_NAME.search(cls.name) is not None
        decorated = any((model.resolve(d.func if isinstance(d, ast.Call) else d) or "") == "dataclasses.dataclass"
                        for d in cls.decorator_list)
        based = any((model.resolve(base) or "") in CONFIG_BASES for base in cls.bases)
        if decorated or based or (named and not cls.bases):
            return f"defines the configuration class {cls.name}"
    return None


def constants_cell(model) -> str | None:
    """A notebook cell of two or more constant assignments and nothing else (its parameters cell)."""
    cells = model.source.cells
    if not cells:
        return None
    by_cell: dict[int, list[ast.stmt]] = {}
    for chunk, _ in model.parsed:
        for statement in chunk.tree.body:
            cell = model.cell_at(chunk.absolute_line(statement.lineno))
            if cell is not None:
                by_cell.setdefault(cell.index, []).append(statement)
    for index, statements in by_cell.items():
        numbers = [s for s in statements if isinstance(s, ast.Assign) and is_constant(s.value) and has_number(s.value)]
        if len(numbers) >= 2 and all(
                isinstance(s, (ast.Assign, ast.AnnAssign)) and s.value is not None and is_constant(s.value)
                for s in statements):
            return f"sets its parameters in cell {index}"
    return None


def has_number(value: ast.AST | None) -> bool:
    return value is not None and any(
        isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool)
        for n in ast.walk(value))


def is_constant(value: ast.AST) -> bool:
    """Literals and arithmetic on them: `3e-4`, `-1`, `2 ** 10`, `(224, 224)`, `"cuda"`."""
    return all(isinstance(n, (ast.Constant, ast.UnaryOp, ast.BinOp, ast.Tuple, ast.List, ast.Dict, ast.Set,
                              ast.unaryop, ast.operator, ast.expr_context, ast.IfExp, ast.Compare, ast.cmpop,
                              ast.Name))
               for n in ast.walk(value))
