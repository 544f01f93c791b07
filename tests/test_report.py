"""`mlreview report`: the scorecard as markdown, JSON and one self-contained HTML page,
the HTML rendered by a real browser (Debian's chromium, headless)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mlreview.cli import main

REPO = Path(__file__).parent.parent
ARTIFACTS = REPO / "artifacts"  # ignored by git: the browser's screenshot of the report
RED_FLAGS = 12


@pytest.fixture
def demo(tmp_path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(REPO / "examples", target)
    return target


def report(capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(["report", "--no-cache", *args]) == 0
    return capsys.readouterr().out


def test_json_scorecard_rows_statuses_and_counts(demo, capsys):
    card = json.loads(report(capsys, "--format", "json", str(demo)))
    assert len(card["red_flags"]) == RED_FLAGS
    assert [row["principle"] for row in card["principles"]] == ["Reproducibility", "Versioning", "Monitoring",
                                                                "Explainability"]
    status = {row["red_flag"]: row["status"] for row in card["red_flags"]}
    assert status["no experiment tracking"] == "finding"
    assert status["no baseline comparison"] == "evidence found"  # train.py scores a DummyClassifier
    assert status["no monitoring in production"] == "evidence found"  # the handler logs its predictions
    assert status["hardcoded hyperparameters"] == "finding"  # torch_habits.py, ML602 selected by the demo
    tracking = next(row for row in card["red_flags"] if row["red_flag"] == "no experiment tracking")
    assert [(item["code"], item["file"], item["line"]) for item in tracking["findings"]] == \
        [("ML601", "credit_scoring.py", 15)]
    baseline = next(row for row in card["red_flags"] if row["red_flag"] == "no baseline comparison")
    assert ("train.py", None, 56, "dummy estimator") in [(e["file"], e["cell"], e["line"], e["text"])
                                                         for e in baseline["evidence"]]
    assert card["counts"]["rules"]["ML607"] == 1
    assert sum(card["counts"]["principles"].values()) == sum(row["findings"] for row in card["principles"])


def test_a_red_flag_whose_only_rule_is_opt_in_and_not_selected_is_not_applicable(demo, capsys):
    (demo / "mlreview.toml").write_text('extend-select = ["ML607"]\n', "utf-8")  # ML602 left off
    card = json.loads(report(capsys, "--format", "json", str(demo)))
    row = next(row for row in card["red_flags"] if row["red_flag"] == "hardcoded hyperparameters")
    assert (row["status"], row["findings"], row["note"]) == ("not applicable", [], "no selected rule checks it")


def test_notebook_places_give_the_cell_and_its_row_as_the_check_output_does(demo, capsys):
    card = json.loads(report(capsys, "--format", "json", str(demo)))
    reported = {(item["code"], item["cell"], item["line"]) for row in card["red_flags"] for item in row["findings"]
                if item["file"] == "kaggle_leaky.ipynb"}
    capsys.readouterr()
    main(["check", "--no-cache", "--output-format", "json", str(demo / "kaggle_leaky.ipynb")])
    checked = {(f["code"], f["cell"], f["location"]["row"]) for f in json.loads(capsys.readouterr().out)}
    assert reported and reported <= checked
    evidence = {(row["red_flag"], item["cell"], item["line"], item["text"]) for row in card["red_flags"]
                for item in row["evidence"] if item["file"] == "kaggle_leaky.ipynb"}
    # `RandomForestClassifier(` is row 3 of cell 10; `cross_val_score(` row 3 of cell 12 (markdown cells count).
    assert ("no baseline comparison", 10, 3, "models compared") in evidence
    assert ("missing evaluation metrics", 12, 3, "evaluation") in evidence
    text = report(capsys, str(demo))
    assert "ML201 [kaggle_leaky.ipynb:cell 7:2](kaggle_leaky.ipynb)" in text
    assert "<code>kaggle_leaky.ipynb:cell 7:2</code>" in report(capsys, "--format", "html", str(demo))


def test_a_project_without_ml_code_is_not_applicable(tmp_path, capsys):
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    card = json.loads(report(capsys, "--format", "json", str(tmp_path)))
    statuses = {row["red_flag"]: row["status"] for row in card["red_flags"]}
    assert statuses["no experiment tracking"] == "not applicable"
    assert statuses["no bias/fairness evaluation"] == "not applicable"


def test_markdown_links_findings_and_evidence(demo, capsys):
    text = report(capsys, str(demo))
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Red flag")
            and not line.startswith("| Principle")]
    assert len(rows) == RED_FLAGS + 4
    statuses = [row["status"] for row in json.loads(report(capsys, "--format", "json", str(demo)))["red_flags"]]
    assert (f"{statuses.count('finding')} red flags with findings, {statuses.count('evidence found')} with evidence "
            f"found, {statuses.count('not applicable')} not applicable. Findings per principle: Reproducibility ") in text
    assert "ML603 [credit_scoring.py:9](credit_scoring.py#L9)" in text
    assert "[train.py:56](train.py#L56) dummy estimator" in text


def test_output_file(demo, capsys, tmp_path):
    out = tmp_path / "report.html"
    assert report(capsys, "--format", "html", "--output", str(out), str(demo)) == ""
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_html_is_self_contained(demo, capsys):
    page = report(capsys, "--format", "html", str(demo))
    assert not re.search(r"<script|<link|<img|<iframe|src=|@import|url\(", page, re.IGNORECASE)
    assert page.count("<tr class='red-flag'>") == RED_FLAGS
    assert page.count("<svg") == 4


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is installed by .ci/run")
def test_html_renders_in_a_real_browser(demo, capsys, tmp_path):
    page = tmp_path / "report.html"
    report(capsys, "--format", "html", "--output", str(page), str(demo))
    ARTIFACTS.mkdir(exist_ok=True)
    browser = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
               f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr
    assert dom.stdout.count('class="red-flag"') == RED_FLAGS
    assert dom.stdout.count('class="principle"') == 4
    assert "no experiment tracking" in dom.stdout and "ML601" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    shot = ARTIFACTS / "report.png"
    subprocess.run([*browser, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
                   capture_output=True, text=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000


def test_the_nested_demo_project_finds_its_habits_in_other_files(demo, capsys):
    service = demo / "fraud_service"  # its own pyproject.toml: a project apart from examples/
    card = json.loads(report(capsys, "--format", "json", str(service)))
    rows = {row["red_flag"]: row for row in card["red_flags"]}
    evidence = {name: {item["file"] for item in rows[name]["evidence"]} for name in rows}
    assert rows["no experiment tracking"]["status"] == "evidence found" and "tracking.py" in evidence["no experiment tracking"]
    assert evidence["missing evaluation metrics"] == {"evaluate.py"}
    assert evidence["unversioned models or data"] == {"data/transactions.parquet.dvc"}
    assert evidence["missing documentation"] == {"MODEL_CARD.md"}
    found = {(item["code"], item["file"], item["line"]) for row in card["red_flags"] for item in row["findings"]}
    assert found == {("ML507", "app.py", 20), ("ML307", "evaluate.py", 9)}
    outer = json.loads(report(capsys, "--format", "json", str(demo)))
    assert not any(item["file"].startswith("fraud_service/") for row in outer["red_flags"]
                   for item in row["findings"] + row["evidence"])
