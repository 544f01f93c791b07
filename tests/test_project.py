"""PROJECT-scope rules over small multi-file projects (tests/projects/<name>/), through
`mlreview check` as a user runs it: anchors, related files, scope, noqa, configuration,
one file checked inside a project, and the fact cache."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from mlreview.cli import main
from mlreview.rules.findings import Finding
from mlreview.parse.positions import Span
from mlreview.diagnostics import REGISTRY
from mlreview.project.index import ProjectIndex

PROJECTS = Path(__file__).parent / "projects"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>ML\d+(?:\s*,\s*ML\d+)*)")
RULES = re.compile(r"#\s*rules:\s*(?P<codes>ML\d+(?:\s*,\s*ML\d+)*)")


def codes_in(text: str) -> list[str]:
    return [code.strip() for code in text.split(",")]


def marked_lines(path: Path):
    """(cell, row, line) of a file: a notebook's cells (numbered from 1) and their rows."""
    if path.suffix != ".ipynb":
        return ((None, number, line) for number, line in enumerate(path.read_text().splitlines(), 1))
    cells = json.loads(path.read_text())["cells"]
    return ((cell, number, line) for cell, content in enumerate(cells, 1)
            for number, line in enumerate("".join(content["source"]).splitlines(), 1))


def expected_findings(project: Path) -> set[tuple[str, int | None, int, str]]:
    expected = set()
    sources = (p for p in project.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(project).parts))  # not the check's .mlreview_cache
    for path in sorted(sources):
        for cell, number, line in marked_lines(path):
            if match := EXPECT.search(line):
                expected |= {(path.relative_to(project).as_posix(), cell, number, code)
                             for code in codes_in(match["codes"])}
    return expected


def rules_under_test(project: Path) -> list[str]:
    return codes_in(RULES.search((project / "pyproject.toml").read_text())["codes"])


def check_json(capsys, *args: str) -> list[dict]:
    capsys.readouterr()
    status = main(["check", "--output-format", "json", *args])
    out = capsys.readouterr().out
    assert status in (0, 1), out
    return json.loads(out)


@pytest.fixture
def copy_project(tmp_path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(PROJECTS / name, target)
        return target
    return copy


@pytest.mark.parametrize("name", sorted(p.name for p in PROJECTS.iterdir() if p.is_dir()))
def test_project_case(name, copy_project, capsys):
    project = copy_project(name)
    rules = rules_under_test(project)
    found = check_json(capsys, "--select", ",".join(rules), str(project))
    actual = {(Path(f["filename"]).resolve().relative_to(project.resolve()).as_posix(), f["cell"],
               f["location"]["row"], f["code"]) for f in found}
    assert actual == expected_findings(project)
    # line rules too: some findings depend on the library versions the project declares or locks
    assert all(f["scope"] == REGISTRY.get(f["code"]).scope for f in found)


def test_one_finding_for_a_gallery_naming_the_other_training_files(copy_project, capsys):
    project = copy_project("untracked_gallery")
    [finding] = check_json(capsys, "--select", "ML601", str(project))
    assert finding["filename"].endswith("a_first.py")
    related = [(Path(r["filename"]).name, r["location"]["row"], r["message"]) for r in finding["related"]]
    assert related == [("b_second.py", 4, "also trains a model"), ("c_third.py", 3, "also trains a model")]
    assert set(finding["related"][0]) == {"filename", "cell", "location", "end_location", "message"}


def test_no_project_judges_each_file_alone(copy_project, capsys):
    project = copy_project("untracked_gallery")
    found = check_json(capsys, "--select", "ML601", "--no-project", str(project))
    assert sorted(Path(f["filename"]).name for f in found) == ["a_first.py", "b_second.py", "c_third.py"]
    tracked = copy_project("tracking_in_helper")
    found = check_json(capsys, "--select", "ML601,ML306", "--no-project", str(tracked))
    assert [(Path(f["filename"]).name, f["code"]) for f in found] == [("train.py", "ML306"), ("train.py", "ML601")]


def test_project_false_in_the_configuration(copy_project, capsys, monkeypatch):
    project = copy_project("untracked_gallery")
    (project / "pyproject.toml").write_text("[tool.mlreview]\nproject = false\n")
    monkeypatch.chdir(project)
    assert len(check_json(capsys, "--select", "ML601", ".")) == 3


def test_one_file_checked_inside_a_project_uses_the_whole_project(copy_project, capsys):
    tracked = copy_project("tracking_in_helper")
    assert check_json(capsys, "--select", "ML601,ML306", str(tracked / "train.py")) == []
    gallery = copy_project("untracked_gallery")
    assert check_json(capsys, "--select", "ML601", str(gallery / "b_second.py")) == []  # anchored elsewhere
    [finding] = check_json(capsys, "--select", "ML601", str(gallery / "a_first.py"))
    assert finding["location"]["row"] == 4


def test_noqa_on_the_anchor_line_and_per_file_ignores(copy_project, capsys, monkeypatch):
    gallery = copy_project("untracked_gallery")
    anchor = gallery / "a_first.py"
    anchor.write_text(anchor.read_text().replace("# expect: ML601", "# noqa: ML601"))
    assert check_json(capsys, "--select", "ML601", str(gallery)) == []
    deps = copy_project("deps_unpinned")
    text = (deps / "pyproject.toml").read_text()
    (deps / "pyproject.toml").write_text(text + '[tool.mlreview.per-file-ignores]\n"requirements.txt" = ["ML607"]\n')
    monkeypatch.chdir(deps)
    found = check_json(capsys, "--select", "ML607", ".")
    assert [Path(f["filename"]).name for f in found] == ["pyproject.toml"]


def test_line_findings_carry_line_scope(copy_project, capsys):
    project = copy_project("data_unversioned")
    found = check_json(capsys, str(project))
    assert {f["scope"] for f in found if f["code"] == "ML606"} == {"project"}
    assert {f["scope"] for f in found if f["code"] != "ML606" and not REGISTRY.get(f["code"]).project_check} <= {"line"}


def test_facts_are_cached_by_content(copy_project):
    project = copy_project("untracked_gallery")
    index = ProjectIndex(project)
    index.build()
    assert index.computed == 3
    again = ProjectIndex(project)  # a new process: the disk cache answers
    again.build()
    assert again.computed == 0
    (project / "b_second.py").write_text("import mlflow\n")
    built = again.build()
    assert again.computed == 1
    assert built.any("tracks")


def test_listing_skips_ignored_hidden_and_virtual_environment_folders(tmp_path):
    from mlreview.project.discovery import find_root, walk

    (tmp_path / "setup.py").write_text("")
    for folder in ("pkg", ".hidden", "venv", "node_modules", "ignored", "pkg/env"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.py").write_text("")
    (tmp_path / "venv" / "pyvenv.cfg").write_text("")
    (tmp_path / "pkg" / "env" / "pyvenv.cfg").write_text("")
    (tmp_path / ".gitignore").write_text("ignored/\n*.tmp.py\n")
    (tmp_path / "pkg" / "y.tmp.py").write_text("")
    assert find_root(tmp_path / "pkg" / "x.py") == tmp_path.resolve()
    sources, _ = walk(tmp_path, None)
    assert sources == ["pkg/x.py", "setup.py"]


def test_unpinned_dependency_fix_pins_the_installed_version():
    rule = REGISTRY.get("ML607")
    text = 'dependencies = [\n    "scikit-learn[alldeps]>=1.0",\n]\n'
    finding = Finding(rule, "m", Span(2, 5, 2, 31), data={"requirement": "scikit-learn", "version": "1.5.2"})
    fix = rule.fix(text, finding)
    assert fix.applicability == "unsafe"
    [edit] = fix.edits
    assert edit.content == "scikit-learn[alldeps]==1.5.2"
    assert text.splitlines()[1][edit.span.col:edit.span.end_col] == "scikit-learn[alldeps]>=1.0"


def test_unpinned_dependency_fix_is_offered_only_when_the_version_is_known(copy_project, capsys):
    project = copy_project("deps_unpinned")
    found = check_json(capsys, "--select", "ML607", str(project))
    from mlreview.diagnostics.project.ml607_unpinned_ml_dependencies import installed_version

    for finding in found:
        name = "scikit-learn" if finding["filename"].endswith("pyproject.toml") else "torch"
        version = installed_version(name)
        if version is None:
            assert finding["fix"] is None
        else:
            assert finding["fix"]["edits"][0]["content"] == f"{name}=={version}"


def test_the_background_index_pauses_before_each_file_it_computes(copy_project):
    project = copy_project("untracked_gallery")
    index = ProjectIndex(project, use_disk_cache=False, background=True)
    pauses = []
    index.build(pause=lambda: pauses.append(index.computed))
    assert pauses == [0, 1, 2]  # before each of the three files, so an open document can go first
    index.build(pause=lambda: pauses.append(index.computed))
    assert pauses == [0, 1, 2]  # cached facts: nothing to wait for


def test_a_folder_without_a_root_marker_is_one_project_as_given(tmp_path, capsys, monkeypatch):
    """A gallery of example folders with no pyproject.toml/setup.*/.git: the given folder is the
    project, not each subfolder (one missing habit, one finding; RULES.md "Project scope")."""
    gallery = tmp_path / "gallery"
    for topic in ("svm", "trees", "linear"):
        (gallery / topic).mkdir(parents=True)
        shutil.copy(PROJECTS / "untracked_gallery" / "a_first.py", gallery / topic / "plot_example.py")
    monkeypatch.chdir(gallery)
    [finding] = check_json(capsys, "--no-cache", "--select", "ML601", ".")
    assert finding["filename"] == "linear/plot_example.py"
    assert sorted(Path(r["filename"]).parent.name for r in finding["related"]) == ["svm", "trees"]
    card = capsys.readouterr() and main(["report", "--no-cache", "--format", "json", "."])
    assert card == 0 and json.loads(capsys.readouterr().out)["counts"]["rules"].get("ML601") == 1


def test_file_facts_rescan_only_the_edited_chunk_and_keep_their_places():
    """Whole-file scans of the facts are kept per chunk: an edit rescans the edited chunk alone,
    and facts of untouched chunks follow them when lines are inserted above."""
    import ast

    from mlreview.engine import DocumentAnalyzer
    from mlreview.parse.source import SourceText
    from mlreview.project.index import facts_of_model

    scanned = []

    def names(facts):
        scanned.append(facts)
        return list(facts.by_type.get(ast.Name, ()))

    text = "a = 1\n\n\ndef f():\n    return b\n\n\nbaseline_score = 2\n"
    analyzer = DocumentAnalyzer("t.py")
    model = analyzer.analyse(SourceText(text)).model
    assert [node.id for _, node in model.chunk_scan(names)] == ["a", "b", "baseline_score"]
    assert len(scanned) == 3 and facts_of_model(model).baseline.line == 8

    scanned.clear()
    edited = "import os\n\n\n" + text.replace("return b", "return c")
    model = analyzer.analyse(SourceText(edited)).model
    assert [node.id for _, node in model.chunk_scan(names)] == ["a", "c", "baseline_score"]
    assert len(scanned) == 2  # the new import's chunk and the edited function's: the others were kept
    assert facts_of_model(model).baseline.line == 11
