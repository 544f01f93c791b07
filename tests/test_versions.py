"""The version source: specifiers read as ranges, each declaration and lock file format, the
language server's merge with the installed versions, and the findings each side of a boundary."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mlreview.engine import analyse_text
from mlreview.facts.versions import exactly, parse_specifier, with_installed
from mlreview.model.versions import UNKNOWN, KnownVersions, Version
from mlreview.fixes.pipeline import fix_all
from mlreview.parse.source import SourceText
from mlreview.project.metadata import project_versions
from mlreview.rules.config import Settings


@pytest.mark.parametrize(("spec", "at_least_2_6", "shown"), [
    (">=2.6", True, ">=2.6"),
    (">=2.6,<3", True, ">=2.6,<3.0"),
    ("==2.6.0+cu124", True, "2.6"),  # a local build of 2.6.0
    ("==2.6.*", True, ">=2.6,<2.7"),
    ("~=2.6", True, ">=2.6,<3.0"),
    ("^2.6", True, ">=2.6,<3.0"),  # Poetry
    ("2.6.0", True, "2.6"),  # Poetry's bare version is exact
    ("==2.5.1", False, "2.5.1"),
    ("<2.6", False, "<2.6"),
    ("<=2.5", False, "<=2.5"),
    (">=2.0,<2.6", False, ">=2.0,<2.6"),
    ("~1.5", False, ">=1.5,<1.6"),  # Poetry's tilde
    ("^0.3", False, ">=0.3,<0.4"),  # Poetry's caret below 1.0
    (">=2.0", None, ">=2.0"),
    (">2.5", None, ">2.5"),
    (">=2.0 <3", None, ">=2.0,<3.0"),  # Poetry's space-separated clauses
    (">=2.6.0rc1", None, ">=2.6"),  # a pre-release of 2.6 is older than 2.6
    ("!=2.5", None, "unknown"),
    ("*", None, "unknown"),
    ("", None, "unknown"),
    ("@ https://example.com/torch.whl", None, "unknown"),
    (">=3,<2", None, "unknown"),  # contradictory: nothing is known
])
def test_a_specifier_is_a_range_that_answers_only_when_certain(spec, at_least_2_6, shown):
    found = parse_specifier(spec)
    assert found.at_least(Version.parse("2.6")) is at_least_2_6
    assert found.describe() == shown


def test_an_exact_version_bounds_its_post_releases_but_not_the_next_release():
    pinned = exactly("2.6.0")
    assert pinned.contains(Version.parse("2.6.0.post1")) and not pinned.contains(Version.parse("2.6.1"))
    assert pinned.at_least(Version.parse("2.6")) is True and pinned.at_least(Version.parse("2.6.1")) is False


def versions_of(tmp_path, files: dict[str, str]) -> KnownVersions:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return project_versions(tmp_path)


@pytest.mark.parametrize(("files", "torch"), [
    ({"requirements.txt": "torch>=2.6 ; python_version > '3.9'  # the new default\nnumpy\n"}, ">=2.6"),
    ({"requirements-dev.txt": "torch~=2.4.0\n"}, ">=2.4,<2.5"),
    ({"constraints.txt": "torch==2.5.1\n"}, "2.5.1"),
    ({"pyproject.toml": "[project]\ndependencies = ['torch[opt]>=2.6']\n"}, ">=2.6"),
    ({"pyproject.toml": "[project.optional-dependencies]\ngpu = ['torch<2.6']\n"}, "<2.6"),
    ({"pyproject.toml": "[tool.poetry.dependencies]\ntorch = {version = '^2.6', source = 'pt'}\n"}, ">=2.6,<3.0"),
    ({"pyproject.toml": "[tool.poetry.group.train.dependencies]\ntorch = '2.5.1'\n"}, "2.5.1"),
    ({"pyproject.toml": "[tool.pdm.dev-dependencies]\ntest = ['torch>=2.6']\n"}, ">=2.6"),
    ({"pyproject.toml": "[tool.uv]\nconstraint-dependencies = ['torch<2.6']\n"}, "<2.6"),
    ({"Pipfile": "[packages]\ntorch = '==2.6.0'\n"}, "2.6"),
    ({"Pipfile.lock": '{"default": {"torch": {"version": "==2.5.1"}}, "develop": {}}'}, "2.5.1"),
    ({"uv.lock": "[[package]]\nname = 'torch'\nversion = '2.6.0+cpu'\n"}, "2.6"),
    ({"poetry.lock": "[[package]]\nname = 'torch'\nversion = '2.4.1'\n"}, "2.4.1"),
    ({"pdm.lock": "[[package]]\nname = 'torch'\nversion = '2.7.0'\n"}, "2.7"),
    ({"environment.yml": "dependencies:\n  - pytorch::pytorch=2.4\n"}, ">=2.4,<2.5"),
    ({"environment.yml": "dependencies:\n  - pip:\n    - torch==2.6.0\n"}, "2.6"),
    ({"conda-lock.yml": "package:\n  - name: pytorch\n    manager: conda\n    version: 2.5.1\n"}, "2.5.1"),
    ({"requirements.txt": "torch>=2.0\n", "uv.lock": "[[package]]\nname = 'torch'\nversion = '2.6.0'\n"}, "2.6"),
    ({"requirements.txt": "torch>=2.0\n", "requirements-gpu.txt": "torch<2.6\n"}, ">=2.0,<2.6"),
    ({"a/uv.lock": "[[package]]\nname='torch'\nversion='2.4.0'\n",
      "b/uv.lock": "[[package]]\nname='torch'\nversion='2.6.0'\n"}, ">=2.4,<=2.6"),
    ({"uv.lock": "this is not TOML ["}, "unknown"),
    ({"Pipfile.lock": "{not json"}, "unknown"),
])
def test_each_declaration_and_lock_file(tmp_path, files, torch):
    assert versions_of(tmp_path, files).of("torch").describe() == torch


def test_sources_are_named_and_part_of_the_fingerprint(tmp_path):
    declared = versions_of(tmp_path, {"requirements.txt": "scikit-learn==1.5.2\n"})
    assert declared.of("sklearn").source == "requirements.txt"  # import names find their distribution
    (tmp_path / "requirements.txt").write_text("scikit-learn==1.4.2\n")
    assert project_versions(tmp_path).fingerprint() != declared.fingerprint()


def test_installed_versions_stand_in_where_nothing_is_declared_and_never_override_a_declaration():
    declared = KnownVersions((("scikit-learn", parse_specifier(">=1.2", "requirements.txt")),
                              ("torch", exactly("2.5.1", "uv.lock"))))
    installed = KnownVersions((("scikit-learn", exactly("1.5.2", "installed")), ("torch", exactly("2.6.0", "installed")),
                               ("transformers", exactly("5.0.0", "installed"))))
    merged = with_installed(declared, installed)
    assert merged.of("torch").describe() == "2.5.1"  # the lock comes first
    assert merged.of("scikit-learn").describe() == "1.5.2"  # narrows the declared range it lies in
    assert merged.at_least("transformers", "5") is True
    assert with_installed(declared, UNKNOWN) == declared


TORCH_LOAD = 'import torch\nstate = torch.load("model.pt")\n'
LINEAR_SVC = "from sklearn.svm import LinearSVC\nclf = LinearSVC(C=0.5)\n"


def one(text: str, code: str, versions: KnownVersions):
    found = [f for f in analyse_text(text, Settings(select=(code,)), versions=versions).findings if f.code == code]
    return found[0] if found else None


def known(name: str, spec: str, source: str = "requirements.txt") -> KnownVersions:
    return KnownVersions(((name, parse_specifier(spec, source)),))


def test_torch_load_wording_and_severity_each_side_of_2_6():
    assert one(TORCH_LOAD, "ML501", known("torch", ">=2.6")) is None
    old = one(TORCH_LOAD, "ML501", known("torch", "==2.5.1", "uv.lock"))
    assert "torch 2.5.1 (uv.lock) is older than 2.6" in old.message
    unknown = one(TORCH_LOAD, "ML501", known("torch", ">=2.0"))
    assert "torch < 2.6" in unknown.message and "torch >= 2.6 loads weights only" in unknown.message
    assert unknown.data["severity"] == "information" and "severity" not in old.data  # certain: the rule's warning


def test_linear_svc_wording_each_side_of_scikit_learn_1_5():
    assert one(LINEAR_SVC, "ML102", known("scikit-learn", "==1.5.2")) is None
    old = one(LINEAR_SVC, "ML102", known("scikit-learn", "<1.5"))
    assert old.message == "`LinearSVC` is constructed without `random_state`: the fitted model changes on every run"
    unknown = one(LINEAR_SVC, "ML102", UNKNOWN)
    assert "before scikit-learn 1.5 its default dual solver" in unknown.message
    assert one("from sklearn.svm import LinearSVC\nclf = LinearSVC(dual=True)\n", "ML102",
               known("scikit-learn", ">=1.5")) is not None  # the dual solver chosen: random in every version


def test_fix_all_fixes_only_what_the_versions_let_the_analysis_show():
    source = SourceText(LINEAR_SVC)
    assert fix_all(source, Settings(select=("ML102",)), versions=known("scikit-learn", ">=1.5")).changed is False
    assert fix_all(source, Settings(select=("ML102",)), versions=known("scikit-learn", "<1.5")).changed is True


def test_the_cli_reads_the_project_of_the_stdin_filename(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "requirements.txt").write_text("torch==2.5.1\n")
    run = subprocess.run([sys.executable, "-m", "mlreview", "check", "--select", "ML501", "--stdin-filename",
                          "serve.py", "-"], cwd=tmp_path, input=TORCH_LOAD, capture_output=True, text=True)
    assert "torch 2.5.1 (requirements.txt) is older than 2.6" in run.stdout
