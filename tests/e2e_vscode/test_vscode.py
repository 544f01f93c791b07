"""mlreview in a real VS Code, as a new user meets it: the .vsix installed in code-server,
examples/ open as the workspace. The steps run in order on one workbench; each leaves a
screenshot in artifacts/e2e/."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SPACED_FOLDER

MLREVIEW = [sys.executable, "-m", "mlreview"]


def cli_findings(path: Path) -> list[dict]:
    """What `mlreview check` reports for one file: the reference the editor must match."""
    run = subprocess.run([*MLREVIEW, "check", "--no-cache", "--output-format", "json", "--exit-zero", path.name],
                         cwd=path.parent, capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def cli_fixed(tmp_path: Path, name: str, select: str | None = None, text: str | None = None) -> Path:
    """`name` in a fresh copy of examples/ after `mlreview check --fix` (one rule's or all)."""
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "examples", reference)
    if text is not None:
        (reference / name).write_text(text, encoding="utf-8")
    selection = ["--select", select] if select else []
    subprocess.run([*MLREVIEW, "check", "--no-cache", "--fix", "--exit-zero", *selection, name],
                   cwd=reference, capture_output=True, text=True, check=True)
    return reference / name


def codes(findings: list[dict]) -> set[str]:
    return {finding["code"] for finding in findings}


def cell_sources(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"] for cell in cells]


def test_train_py_shows_its_findings_in_the_problems_panel(workbench, workspace):
    expected = cli_findings(ROOT / "examples" / "train.py")
    workbench.open_file("train.py")
    workbench.show_problems()
    rows = workbench.wait_for_problems(codes(expected))
    workbench.screenshot("01-train-problems")
    for finding in expected:
        place = f"at line {finding['location']['row']} and character {finding['location']['column']}"
        assert any(finding["code"] in row and place in row for row in rows), (finding, rows)


def finding_of(code: str, name: str = "train.py") -> dict:
    [finding] = [f for f in cli_findings(ROOT / "examples" / name) if f["code"] == code]
    return finding


def test_a_hover_shows_the_principle(workbench):
    fit = finding_of("ML201")
    workbench.go_to(fit["location"]["row"], fit["location"]["column"])
    # The marker's part of the hover comes first; the server's part (the principle) after.
    text = workbench.hover_text(fit["principle"])
    workbench.screenshot("02-hover")
    assert "ML201 fit-before-split" in text
    assert fit["principle"] == "Reproducibility"


def test_move_the_fit_after_the_split_changes_the_file_as_the_cli_does(workbench, workspace, tmp_path):
    original = (workspace / "train.py").read_text(encoding="utf-8")
    fit = finding_of("ML201")
    workbench.go_to(fit["location"]["row"], fit["location"]["column"])
    workbench.apply_quick_fix("Move the fit after the split")
    workbench.save_without_fixes()
    workbench.wait_saved("train.py")
    workbench.screenshot("03-quick-fix")
    fixed = (workspace / "train.py").read_text(encoding="utf-8")
    assert fixed != original
    assert fixed == cli_fixed(tmp_path, "train.py", select="ML201").read_text(encoding="utf-8")


def test_fix_on_save_applies_every_safe_fix(workbench, workspace, tmp_path):
    before = (workspace / "train.py").read_text(encoding="utf-8")
    workbench.open_file("train.py")
    workbench.type_at_end("# saved")
    workbench.page.keyboard.press("Control+S")
    workbench.wait_saved("train.py")
    workbench.screenshot("04-fix-on-save")
    saved = (workspace / "train.py").read_text(encoding="utf-8")
    expected = cli_fixed(tmp_path, "train.py", text=before + "# saved").read_text(encoding="utf-8")
    assert saved == expected
    assert saved != before + "# saved"


def test_the_notebook_shows_findings_on_the_right_cells(workbench):
    # Line findings only: where a project finding is anchored depends on the workspace's
    # other files (tests/lsp/test_project.py covers those in the editor).
    expected = [f for f in cli_findings(ROOT / "examples" / "kaggle_leaky.ipynb") if f["scope"] == "line"]
    workbench.open_file("kaggle_leaky.ipynb")
    workbench.show_problems()
    workbench.wait_for_problems({expected[0]["code"]})
    workbench.screenshot("05-notebook-problems")
    for finding in expected:
        # Opening the finding from the Problems panel selects its cell: the status bar
        # names that cell's index among all cells, the convention of the CLI's "cell N".
        workbench.open_problem(finding["code"], finding["location"]["row"], finding["location"]["column"])
        assert workbench.notebook_cell() == finding["cell"], finding
    workbench.filter_problems("")


def test_a_notebook_quick_fix_applies_in_its_cell(workbench, workspace, tmp_path):
    finding = finding_of("ML202", "kaggle_leaky.ipynb")
    before = cell_sources(workspace / "kaggle_leaky.ipynb")
    workbench.open_problem("ML202", finding["location"]["row"], finding["location"]["column"])
    try:
        workbench.apply_quick_fix("Use transform on the test data")
    finally:  # a filter left behind would hide the next tests' findings
        workbench.filter_problems("")
    workbench.save_without_fixes()
    workbench.wait_saved("kaggle_leaky.ipynb")
    workbench.screenshot("06-notebook-quick-fix")
    after = cell_sources(workspace / "kaggle_leaky.ipynb")
    expected = cell_sources(cli_fixed(tmp_path, "kaggle_leaky.ipynb", select="ML202"))
    changed = [index + 1 for index, (old, new) in enumerate(zip(before, after)) if old != new]
    assert changed == [finding["cell"]]
    assert after == expected


def test_a_file_under_a_folder_with_a_space_and_an_accent_shows_its_findings(workbench):
    expected = cli_findings(ROOT / "examples" / "train.py")
    workbench.run_command("View: Close All Editors")  # their findings leave the panel
    workbench.open_file(f"{SPACED_FOLDER}/train.py")
    workbench.show_problems()
    workbench.wait_for_problems(codes(expected))
    workbench.screenshot("07-spaced-path")
    rows = workbench.problem_rows()
    assert any(SPACED_FOLDER in row for row in rows), rows


def test_rule_documentation_opens_a_read_only_preview(workbench):
    workbench.open_file("train.py")  # the extension activates on Python files
    workbench.show_problems()
    workbench.wait_for_problems({"ML201"})
    workbench.run_command_with_input("mlreview: Show Rule Documentation", "ML201", "ML201")
    # The shipped page in the Markdown preview: its relative links work, and no
    # untitled buffer is left behind to ask "save changes?" on close.
    workbench.page.locator(".tab", has_text="Preview ML201.md").wait_for(timeout=60_000)
    preview = workbench.webview_frame_with("h1", "ML201 fit-before-split")
    workbench.screenshot("08-rule-docs")
    # The principle is a working link to the shipped principles page, not raw markdown.
    assert preview.locator('a[href*="principles.md"]', has_text="Reproducibility").count() == 1
    assert "](file:" not in preview.locator("body").inner_text()
    assert workbench.page.locator(".tab.dirty").count() == 0
    assert workbench.page.locator(".tab", has_text="Untitled").count() == 0


def cli_report(workspace: Path) -> dict:
    run = subprocess.run([*MLREVIEW, "report", "--no-cache", "--format", "json", "."],
                         cwd=workspace, capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def test_the_project_report_opens_in_the_markdown_preview(workbench, workspace):
    card = cli_report(workspace)
    workbench.run_command("mlreview: Show Project Report")
    workbench.page.locator(".tab", has_text="Preview Project Report.md").wait_for(timeout=60_000)
    preview = workbench.webview_frame_with("h2", f"mlreview report: {workspace.name}")
    workbench.screenshot("09-project-report")
    cells = preview.locator("td").all_inner_texts()
    assert all(row["red_flag"] in cells for row in card["red_flags"]), cells
    assert all(row["principle"] in cells for row in card["principles"]), cells
    assert "](" not in preview.locator("body").inner_text()  # every link rendered, none left as text
    assert workbench.page.locator(".tab.dirty").count() == 0
    # The project finding of the background review links to its place in the workspace.
    [tracking] = [row for row in card["red_flags"] if row["red_flag"] == "no experiment tracking"]
    [finding] = tracking["findings"]
    link = preview.locator("a", has_text=f"{finding['file']}:{finding['line']}")
    assert link.count() >= 1
    link.first.click()
    workbench.page.locator(".tab.active", has_text=finding["file"]).wait_for(timeout=60_000)
    workbench.screenshot("10-report-link-followed")


def test_traces_show_with_the_trace_setting_alone(workbench, code_server_home):
    """mlreview.trace.server is "verbose" in the user settings; no log level was raised."""
    [trace] = code_server_home.glob("user-data/logs/**/*mlreview Trace.log")
    text = trace.read_text(encoding="utf-8")
    assert "Sending notification 'textDocument/didOpen'" in text
    assert "Params: {" in text  # verbose: the messages' contents too
