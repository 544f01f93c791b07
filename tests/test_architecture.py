"""The layout is a contract: a rule is found from its code, layers import downwards, the wheel holds every package."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from mlreview.diagnostics import FAMILIES, REGISTRY

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "server"
DIAGNOSTICS = SERVER / "diagnostics"
# The analysis core, bottom to top; none of it may import what is built on it.
CORE_LAYERS = ("parse", "model", "lineage", "facts", "rules")
ABOVE_CORE = ("diagnostics", "engine", "fixes", "lsp", "cli", "documentation")


def rule_file(code: str) -> Path:
    """A rule's file from its code alone: server/diagnostics/<family>/mlNNN_<name>.py."""
    (path,) = DIAGNOSTICS.glob(f"*/{code.lower()}_*.py")
    return path


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda rule: rule.code)
def test_each_rule_lives_in_the_file_its_code_names(rule):
    path = rule_file(rule.code)
    assert path.name == f"{rule.code.lower()}_{rule.name.replace('-', '_')}.py"
    assert path.parent.name in FAMILIES
    module = sys.modules[rule.check.__module__]
    assert Path(module.__file__).resolve() == path.resolve(), "the check sits in the rule's own file"
    if rule.fix is not None:
        fix_file = Path(sys.modules[rule.fix.__module__].__file__).resolve()
        assert fix_file.parent == path.parent.resolve(), "the fix sits in the rule's file or its family's"


def test_every_rule_file_is_registered():
    codes = {path.name[:5].upper() for path in DIAGNOSTICS.glob("*/ml[0-9][0-9][0-9]_*.py")}
    assert codes == {rule.code for rule in REGISTRY}


def imported_layers(path: Path) -> set[str]:
    """The top-level mlreview packages `path` imports (relative imports, lazy ones included)."""
    package = path.relative_to(SERVER).parent.parts
    layers = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - (node.level - 1)])
            target = base + (node.module.split(".") if node.module else [alias.name for alias in node.names][:1])
            if target:
                layers.add(target[0])
    return layers


@pytest.mark.parametrize("layer", CORE_LAYERS)
def test_the_core_never_imports_the_layers_above_it(layer):
    offenders = {
        str(path.relative_to(SERVER)): sorted(imported_layers(path) & set(ABOVE_CORE))
        for path in (SERVER / layer).rglob("*.py")
    }
    assert not {name: above for name, above in offenders.items() if above}


@pytest.mark.parametrize("layer", CORE_LAYERS)
def test_each_core_layer_imports_only_the_layers_below_it(layer):
    """The model declares what the facts and the lineage walk fill in (model/external.py,
    `per_version`); it never imports them."""
    above = set(CORE_LAYERS[CORE_LAYERS.index(layer) + 1:])
    offenders = {
        str(path.relative_to(SERVER)): sorted(imported_layers(path) & above)
        for path in (SERVER / layer).rglob("*.py")
    }
    assert not {name: found for name, found in offenders.items() if found}


def test_the_core_keeps_no_tables_keyed_by_its_objects():
    """Facts live on what they describe (`per_version` on the model, attributes on a chunk's
    tree): a module-level weak table whose values point back at their key keeps it alive."""
    holders = [str(path.relative_to(SERVER)) for layer in CORE_LAYERS for path in (SERVER / layer).rglob("*.py")
               if "WeakKeyDictionary(" in path.read_text("utf-8")]
    assert not holders


def test_pyproject_lists_every_package():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    packages = {
        ".".join(("mlreview", *init.parent.relative_to(SERVER).parts))
        for init in SERVER.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert packages == listed


@pytest.fixture
def checkout(tmp_path):
    """A copy of the source checkout that a scaffold may write into, importable as mlreview."""
    shutil.copytree(SERVER, tmp_path / "server", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    (tmp_path / "path").mkdir()
    (tmp_path / "path" / "mlreview").symlink_to(tmp_path / "server")
    return tmp_path


def mlreview_in(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(checkout / "path")}
    return subprocess.run([sys.executable, "-m", "mlreview", *args], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120)


def test_scaffold_creates_a_registered_rule_with_fixture_and_docs(checkout):
    made = mlreview_in(checkout, "scaffold", "ML309", "unscaled-distance-model", "--family", "training",
                       "--root", str(checkout))
    assert made.returncode == 0, made.stderr
    rule_path = checkout / "server/diagnostics/training/ml309_unscaled_distance_model.py"
    fixture = checkout / "tests/rules/training/ml309_unscaled_distance_model.py"
    assert rule_path.is_file() and fixture.is_file()
    assert fixture.read_text().startswith("# rules: ML309\n# case: ")
    assert "# expect: ML309" in fixture.read_text()
    assert "ML309" in (checkout / "server/docs/rules/ML309.md").read_text()
    assert "[ML309](server/docs/rules/ML309.md)" in (checkout / "README.md").read_text()

    listed = mlreview_in(checkout, "rule", "ML309")
    assert listed.returncode == 0 and "unscaled-distance-model" in listed.stdout
    checked = mlreview_in(checkout, "check", "--select", "ML309", str(fixture))
    assert checked.returncode == 0, checked.stdout + checked.stderr  # the empty check runs and finds nothing

    again = mlreview_in(checkout, "scaffold", "ML309", "other-name", "--family", "training", "--root", str(checkout))
    assert again.returncode == 2 and "ML309 is taken" in again.stderr


@pytest.mark.parametrize("args, message", [
    (("ML38", "some-name", "--family", "training"), "three digits"),
    (("ML309", "Some_Name", "--family", "training"), "lower-case words"),
    (("ML309", "some-name", "--family", "nonsense"), "no such family"),
])
def test_scaffold_refuses_bad_input_and_writes_nothing(checkout, args, message):
    before = sorted(checkout.rglob("*"))
    refused = mlreview_in(checkout, "scaffold", *args, "--root", str(checkout))
    assert refused.returncode == 2 and message in refused.stderr
    assert sorted(checkout.rglob("*")) == before
