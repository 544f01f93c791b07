"""`mlreview check --quiet`: the findings and nothing else, as ruff's --quiet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LEAKY = "from sklearn.model_selection import train_test_split\nX_train, X_test = train_test_split(X)\n"


def check(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlreview", "check", *args], cwd=folder,
                          capture_output=True, text=True, timeout=120)


def test_quiet_prints_the_findings_without_the_summary(tmp_path: Path):
    (tmp_path / "leaky.py").write_text(LEAKY)
    loud, quiet = check(tmp_path, "leaky.py"), check(tmp_path, "--quiet", "leaky.py")
    assert loud.stdout.splitlines()[-1].startswith("Found 1 finding")
    assert quiet.stdout.splitlines() == loud.stdout.splitlines()[:-1]
    assert quiet.stdout.splitlines()[0].startswith("leaky.py:2:19: ML101")
    assert quiet.returncode == loud.returncode == 1


def test_quiet_on_a_clean_file_prints_nothing(tmp_path: Path):
    (tmp_path / "clean.py").write_text("import os\nprint(os.getcwd())\n")
    assert check(tmp_path, "clean.py").stdout == "All checks passed!\n"
    result = check(tmp_path, "-q", "clean.py")
    assert result.stdout == "" and result.returncode == 0


def test_quiet_leaves_json_output_unchanged(tmp_path: Path):
    (tmp_path / "leaky.py").write_text(LEAKY)
    assert json.loads(check(tmp_path, "-q", "--output-format", "json", "leaky.py").stdout) == \
        json.loads(check(tmp_path, "--output-format", "json", "leaky.py").stdout)


def test_quiet_still_reports_errors_on_stderr(tmp_path: Path):
    result = check(tmp_path, "--quiet", "missing.py")
    assert result.returncode == 2 and result.stdout == "" and "missing.py" in result.stderr
