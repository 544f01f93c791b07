"""`mlreview check | rule | rules` as a user runs them: output shapes, exit codes, config, noqa."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

LEAKY = textwrap.dedent("""\
    import pandas as pd
    from sklearn.model_selection import train_test_split

    df = pd.read_csv("data.csv")
    X_train, X_test = train_test_split(df, test_size=0.2)
""")
CLEAN = "import os\nprint(os.getcwd())\n"
JSON_KEYS = {"code", "name", "message", "severity", "principle", "area", "filename", "cell",
             "location", "end_location", "url", "fix", "scope"}


def mlreview(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlreview", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "leaky.py").write_text(LEAKY)
    (tmp_path / "clean.py").write_text(CLEAN)
    return tmp_path


def test_text_output_and_exit_status_one(project):
    result = mlreview("check", "leaky.py", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "leaky.py:5:19: ML101" in result.stdout
    assert "Found 1 finding" in result.stdout


def test_clean_file_exits_zero(project):
    result = mlreview("check", "clean.py", cwd=project)
    assert result.returncode == 0
    assert "All checks passed" in result.stdout


def test_exit_zero_flag(project):
    assert mlreview("check", "--exit-zero", ".", cwd=project).returncode == 0


def test_json_output_has_the_documented_shape(project):
    result = mlreview("check", "--output-format", "json", ".", cwd=project)
    items = json.loads(result.stdout)
    assert len(items) == 1
    item = items[0]
    assert set(item) == JSON_KEYS
    assert item["code"] == "ML101" and item["name"] == "split-without-seed" and item["scope"] == "line"
    assert item["severity"] == "warning" and item["cell"] is None
    assert item["location"] == {"row": 5, "column": 19}
    assert item["filename"].endswith("leaky.py")
    assert item["fix"]["applicability"] == "safe"
    assert {"content", "location", "end_location"} <= set(item["fix"]["edits"][0])


def test_sarif_output(project):
    sarif = json.loads(mlreview("check", "--output-format", "sarif", ".", cwd=project).stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert any(rule["id"] == "ML101" and rule["helpUri"] and rule["help"]["text"] for rule in rules)
    result = run["results"][0]
    assert result["ruleId"] == "ML101" and rules[result["ruleIndex"]]["id"] == "ML101"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 5


def test_github_output(project):
    out = mlreview("check", "--output-format", "github", "leaky.py", cwd=project).stdout
    assert out.startswith("::warning file=leaky.py,line=5,col=19,")
    assert "title=ML101 split-without-seed::" in out


def test_stdin(project):
    result = mlreview("check", "-", cwd=project, stdin=LEAKY)
    assert result.returncode == 1 and "-:5:19: ML101" in result.stdout


def test_select_and_ignore_by_prefix(project):
    assert mlreview("check", "--ignore", "ML1", ".", cwd=project).returncode == 0
    assert mlreview("check", "--select", "ML2", ".", cwd=project).returncode == 0
    assert mlreview("check", "--select", "ML101", ".", cwd=project).returncode == 1


def test_bad_selector_is_a_usage_error(project):
    result = mlreview("check", "--select", "E501", ".", cwd=project)
    assert result.returncode == 2 and "E501" in result.stderr


def test_noqa_comments(project):
    (project / "leaky.py").write_text(LEAKY.replace("test_size=0.2)", "test_size=0.2)  # noqa: ML101"))
    assert mlreview("check", "leaky.py", cwd=project).returncode == 0
    (project / "leaky.py").write_text(LEAKY.replace("test_size=0.2)", "test_size=0.2)  # noqa"))
    assert mlreview("check", "leaky.py", cwd=project).returncode == 0
    (project / "leaky.py").write_text(LEAKY.replace("test_size=0.2)", "test_size=0.2)  # noqa: ML201"))
    assert mlreview("check", "leaky.py", cwd=project).returncode == 1
    (project / "leaky.py").write_text("# mlreview: noqa: ML101\n" + LEAKY)
    assert mlreview("check", "leaky.py", cwd=project).returncode == 0


def test_pyproject_configuration(project):
    (project / "pyproject.toml").write_text('[tool.mlreview]\nignore = ["ML101"]\n')
    assert mlreview("check", ".", cwd=project).returncode == 0
    (project / "pyproject.toml").write_text('[tool.mlreview]\nper-file-ignores = {"leaky.py" = ["ML1"]}\n')
    assert mlreview("check", ".", cwd=project).returncode == 0
    (project / "pyproject.toml").write_text('[tool.mlreview]\nseverity = {ML101 = "error"}\n')
    items = json.loads(mlreview("check", "--output-format", "json", ".", cwd=project).stdout)
    assert items[0]["severity"] == "error"
    (project / "pyproject.toml").write_text('[tool.mlreview]\nexclude = ["leaky.py"]\n')
    assert mlreview("check", ".", cwd=project).returncode == 0


@pytest.mark.parametrize("config, complaint", [
    ('[tool.mlreview]\nselct = ["ML1"]\n', "unknown key 'selct' (did you mean 'select'?)"),
    ('[tool.mlreview]\nselect = "ML1,ML999x"\n', "invalid value for 'select'"),
    ('[tool.mlreview]\nseverity = {ML101 = "loud"}\n', "'loud' for ML101"),
    ('[tool.mlreview\n', "invalid TOML"),
])
def test_bad_configuration_is_named_and_exits_two(project, config, complaint):
    (project / "pyproject.toml").write_text(config)
    result = mlreview("check", ".", cwd=project)
    assert result.returncode == 2
    assert complaint in result.stderr
    assert "pyproject.toml" in result.stderr


def test_explicit_config_file(project, tmp_path):
    config = project / "ci.toml"
    config.write_text("[tool.mlreview]\nignore = [\"ML101\"]\n")
    assert mlreview("check", "--config", "ci.toml", ".", cwd=project).returncode == 0
    assert mlreview("check", "--config", "missing.toml", ".", cwd=project).returncode == 2


def test_bad_inputs_are_named_and_the_run_goes_on(project):
    (project / "latin1.py").write_bytes(b"x = '\xe9'\n")
    (project / "binary.py").write_bytes(b"\x00\x01\x02")
    (project / "broken.ipynb").write_text("{not json")
    result = mlreview("check", ".", cwd=project)
    assert result.returncode == 2
    assert "latin1.py: not valid UTF-8" in result.stderr
    assert "binary.py: binary file" in result.stderr
    assert "broken.ipynb: invalid notebook JSON" in result.stderr
    assert "leaky.py:5:19: ML101" in result.stdout  # the good file was still checked


def test_missing_path_is_an_error(project):
    result = mlreview("check", "nope.py", cwd=project)
    assert result.returncode == 2 and "nope.py: no such file" in result.stderr


def test_syntax_error_is_reported_and_the_rest_checked(project):
    (project / "leaky.py").write_text("def broken(:\n    pass\n" + LEAKY)
    result = mlreview("check", "leaky.py", cwd=project)
    assert result.returncode == 2
    assert "leaky.py:1:" in result.stderr and "syntax error" in result.stderr
    assert "leaky.py:7:19: ML101" in result.stdout


def test_fix_rewrites_the_file_and_reports_what_remains(project):
    result = mlreview("check", "--fix", "leaky.py", cwd=project)
    fixed = (project / "leaky.py").read_text()
    assert "random_state=SEED" in fixed and "SEED = 42" in fixed
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Fixed 1 finding" in result.stdout
    again = mlreview("check", "--fix", "leaky.py", cwd=project)
    assert (project / "leaky.py").read_text() == fixed and again.returncode == 0


def notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": kind, "metadata": {}, "source": src.splitlines(keepends=True),
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, src in cells],
    })


def test_notebook_findings_are_reported_per_cell(project):
    nb = notebook(("markdown", "# Title"), ("code", "%matplotlib inline\nimport pandas as pd\n"
                  "from sklearn.model_selection import train_test_split"),
                  ("code", "df = pd.read_csv('x.csv')\ntrain, test = train_test_split(df)"))
    (project / "nb.ipynb").write_text(nb)
    items = json.loads(mlreview("check", "--output-format", "json", "nb.ipynb", cwd=project).stdout)
    assert [(i["code"], i["cell"], i["location"]["row"]) for i in items] == [("ML101", 3, 2)]
    text = mlreview("check", "nb.ipynb", cwd=project).stdout
    assert "nb.ipynb:cell 3:2:15: ML101" in text


def test_notebook_fix_keeps_cells(project):
    nb = notebook(("code", "import pandas as pd\nfrom sklearn.model_selection import train_test_split"),
                  ("markdown", "Split:"), ("code", "df = pd.read_csv('x.csv')\ntrain, test = train_test_split(df)"))
    (project / "nb.ipynb").write_text(nb)
    assert mlreview("check", "--fix", "nb.ipynb", cwd=project).returncode == 0
    cells = json.loads((project / "nb.ipynb").read_text())["cells"]
    assert len(cells) == 3 and cells[1]["cell_type"] == "markdown"
    assert "SEED = 42" in "".join(cells[0]["source"])
    assert "random_state=SEED" in "".join(cells[2]["source"])


def codes_found(*args: str, cwd: Path) -> set[str]:
    return {finding["code"] for finding in json.loads(mlreview("check", "--output-format", "json", *args, cwd=cwd).stdout)}


def test_an_opt_in_rule_runs_only_when_the_configuration_names_it(project):
    (project / "draws.py").write_text(LEAKY + "import numpy as np\nnoise = np.random.rand(3)\n")
    assert codes_found("draws.py", cwd=project) == {"ML101"}  # ML103 is off by default
    (project / "pyproject.toml").write_text('[tool.mlreview]\nextend-select = ["ML103"]\n')
    assert codes_found("draws.py", cwd=project) == {"ML101", "ML103"}
    (project / "pyproject.toml").write_text('[tool.mlreview]\nselect = ["ALL"]\n')
    assert codes_found("draws.py", cwd=project) == {"ML101"}
    assert codes_found("--select", "ML1", "draws.py", cwd=project) == {"ML101", "ML103"}
    assert codes_found("--extend-select", "ML103", "--ignore", "ML103", "draws.py", cwd=project) == {"ML101"}


def test_a_command_line_select_replaces_the_configured_extend_select(project):
    (project / "draws.py").write_text(LEAKY + "import numpy as np\nnoise = np.random.rand(3)\n")
    (project / "pyproject.toml").write_text('[tool.mlreview]\nextend-select = ["ML103"]\n')
    assert codes_found("--select", "ML101", "draws.py", cwd=project) == {"ML101"}
    assert codes_found("--select", "ML101", "--extend-select", "ML103", "draws.py", cwd=project) == {"ML101", "ML103"}


def test_rules_listing_says_which_rules_are_on_by_default(project):
    listing = json.loads(mlreview("rules", "--output-format", "json", cwd=project).stdout)
    defaults = {rule["code"]: rule["default"] for rule in listing}
    assert defaults["ML101"] is True and defaults["ML103"] is False
    lines = {line.split()[0]: line for line in mlreview("rules", cwd=project).stdout.splitlines()}
    assert " default " in lines["ML101"] and " opt-in " in lines["ML103"]
    assert "Off by default (opt-in)" in mlreview("rule", "ML103", cwd=project).stdout


def test_rule_and_rules_commands(project):
    doc = mlreview("rule", "ML101", cwd=project)
    assert doc.returncode == 0 and "# ML101 split-without-seed" in doc.stdout and "Reproducibility" in doc.stdout
    assert mlreview("rule", "ML999", cwd=project).returncode == 2
    listing = json.loads(mlreview("rules", "--output-format", "json", cwd=project).stdout)
    assert {"code", "name", "severity", "principle", "area", "summary", "url"} <= set(listing[0])
    assert "ML101" in mlreview("rules", cwd=project).stdout
