"""Settings: selection semantics, validation messages, file discovery."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlreview.rules.config import ConfigError, Settings, find_config_file, load_config_file, parse_settings
from mlreview.rules.findings import Severity


@pytest.mark.parametrize("settings, code, enabled", [
    (Settings(), "ML101", True),
    (Settings(select=("ML2",)), "ML101", False),
    (Settings(select=("ML2",)), "ML201", True),
    (Settings(ignore=("ML1",)), "ML101", False),
    (Settings(select=("ML101",), ignore=("ML1",)), "ML101", True),  # the more specific selector wins
    (Settings(select=("ML1",), ignore=("ML101",)), "ML101", False),
    (Settings(select=("ML2",), extend_select=("ML101",)), "ML101", True),
    (Settings(select=("ALL",), ignore=("ML6",)), "ML601", False),
    # ruff's ALL: as broad as the default selection, and ignore wins a tie
    (Settings(ignore=("ALL",)), "ML101", False),
    (Settings(select=("ALL",)), "ML601", True),
    (Settings(ignore=("ALL",), extend_select=("ML201",)), "ML201", True),
    (Settings(ignore=("ALL",), extend_select=("ML201",)), "ML202", False),
    (Settings(select=("ML2",), ignore=("ALL",)), "ML201", True),
    (Settings(select=("ML",), ignore=("ALL",)), "ML201", False),
])
def test_selection(settings, code, enabled):
    assert settings.is_enabled(code) is enabled


@pytest.mark.parametrize("settings, enabled", [
    (Settings(), False),  # the default selection is the rules on by default
    (Settings(select=("ALL",)), False),  # ALL and ML mean that selection, as ruff's ALL without preview
    (Settings(extend_select=("ML",)), False),
    (Settings(extend_select=("ML503",)), True),  # its exact code
    (Settings(select=("ML5",)), True),  # or its family, or any narrower prefix
    (Settings(extend_select=("ML50",)), True),
    (Settings(extend_select=("ML5",), ignore=("ML503",)), False),  # the most specific selector still wins
    (Settings(extend_select=("ML503",), ignore=("ALL",)), True),
    (Settings(select=("ML1",)), False),
])
def test_rules_off_by_default_need_a_selector_naming_them(settings, enabled):
    assert settings.is_enabled("ML503", on_by_default=False) is enabled


def test_per_file_ignores_match_names_and_globs(tmp_path):
    settings = Settings(per_file_ignores=(("notebooks/*.ipynb", ("ML1",)), ("test_*.py", ("ML601",))),
                        root=tmp_path)
    assert not settings.is_enabled("ML101", str(tmp_path / "notebooks" / "eda.ipynb"))
    assert settings.is_enabled("ML101", str(tmp_path / "train.py"))
    assert not settings.is_enabled("ML601", "tests/test_train.py")


def test_severity_override_and_aliases():
    settings, errors = parse_settings({"severity": {"ML101": "error", "ml102": "info"}}, "cfg")
    assert not errors
    assert settings.severity_of("ML101", Severity.WARNING) is Severity.ERROR
    assert settings.severity_of("ML102", Severity.WARNING) is Severity.INFORMATION
    assert settings.severity_of("ML103", Severity.WARNING) is Severity.WARNING


def test_severity_by_prefix_most_specific_wins():
    settings, errors = parse_settings({"severity": {"ALL": "hint", "ML1": "error", "ML101": "warning"}}, "cfg")
    assert not errors
    assert settings.severity_of("ML101", Severity.INFORMATION) is Severity.WARNING
    assert settings.severity_of("ML102", Severity.INFORMATION) is Severity.ERROR
    assert settings.severity_of("ML201", Severity.INFORMATION) is Severity.HINT


def test_per_file_ignores_with_all_and_many_patterns(tmp_path):
    patterns = {f"generated_{i}/*.py": ["ML1"] for i in range(500)}
    patterns["notebooks/*"] = ["ALL"]
    settings, errors = parse_settings({"per-file-ignores": patterns, "exclude": list(patterns)}, "cfg")
    assert not errors
    settings = Settings(per_file_ignores=settings.per_file_ignores, exclude=settings.exclude, root=tmp_path)
    assert not settings.is_enabled("ML601", str(tmp_path / "notebooks" / "eda.py"))
    assert not settings.is_enabled("ML101", str(tmp_path / "generated_499" / "x.py"))
    assert settings.is_enabled("ML101", str(tmp_path / "train.py"))
    assert settings.is_excluded(tmp_path / "generated_7" / "x.py")
    assert not settings.is_excluded(tmp_path / "src" / "x.py")


def test_many_patterns_cost_little_per_rule_check(tmp_path):
    """Patterns are compiled once and each path matched once: asking about every rule for 20
    files with 500 patterns costs about what it costs with one pattern (ratio, not wall time)."""
    import time

    def cost(count: int) -> float:
        settings = Settings(per_file_ignores=tuple((f"gen_{i}/*.py", ("ML1",)) for i in range(count)),
                            root=tmp_path)
        started = time.process_time()
        for f in range(20):
            for code in range(100, 700):
                settings.is_enabled(f"ML{code}", str(tmp_path / f"file_{f}.py"))
        return time.process_time() - started

    assert cost(500) < 5 * cost(1) + 0.05


@pytest.mark.parametrize("raw, message", [
    ({"selcet": ["ML1"]}, "unknown key 'selcet' (did you mean 'select'?)"),
    ({"select": 3}, "invalid value for 'select'"),
    ({"select": ["F401"]}, "'F401' is not a rule code"),
    ({"exclude": "data"}, "invalid value for 'exclude'"),
    ({"per-file-ignores": ["x"]}, "invalid value for 'per-file-ignores'"),
    ({"severity": {"ML101": "fatal"}}, "'fatal' for ML101"),
    ({"debounce": 5}, "unknown key 'debounce'"),  # editor-only key in a file
])
def test_invalid_file_settings_are_named_and_fall_back(raw, message):
    settings, errors = parse_settings({**raw, "ignore": ["ML6"]}, "pyproject.toml")
    assert len(errors) == 1 and message in errors[0] and "pyproject.toml" in errors[0]
    assert settings.ignore == ("ML6",)  # the good key still applies


@pytest.mark.parametrize("raw, message", [
    ({"debounce": -1}, "invalid value for 'debounce'"),
    ({"debounce": "fast"}, "invalid value for 'debounce'"),
    ({"enable": "yes"}, "invalid value for 'enable'"),
    ({"docsBaseUrl": 7}, "invalid value for 'docsBaseUrl'"),
    ({"logLevel": "loud"}, "invalid value for 'logLevel'"),
    ("not a table", "must be a table"),
])
def test_invalid_editor_settings(raw, message):
    settings, errors = parse_settings(raw, "initializationOptions", editor=True)
    assert errors and message in errors[0]
    assert settings == Settings()


def test_editor_settings_override_file_settings():
    base, _ = parse_settings({"ignore": ["ML6"], "select": ["ML1"]}, "file")
    merged, errors = parse_settings({"select": ["ML2"], "debounce": 0}, "editor", editor=True, base=base)
    assert not errors and merged.select == ("ML2",) and merged.ignore == ("ML6",) and merged.debounce == 0


def test_find_config_prefers_the_nearest_file(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.mlreview]\nignore = ['ML1']\n")
    inner = tmp_path / "pkg" / "sub"
    inner.mkdir(parents=True)
    (tmp_path / "pkg" / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no table: skipped
    assert find_config_file(inner) == tmp_path / "pyproject.toml"
    (inner / "mlreview.toml").write_text("ignore = ['ML2']\n")
    found = find_config_file(inner)
    assert found == inner / "mlreview.toml"
    settings, errors = load_config_file(found)
    assert settings.ignore == ("ML2",) and not errors and settings.root == inner


def test_unreadable_toml_raises_config_error(tmp_path: Path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.mlreview\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config_file(path)


def test_exclude_defaults_and_globs(tmp_path: Path):
    settings = Settings(exclude=("data/*",), root=tmp_path)
    assert settings.is_excluded(tmp_path / ".venv" / "lib.py")
    assert settings.is_excluded(tmp_path / "data" / "gen.py")
    assert not settings.is_excluded(tmp_path / "src" / "train.py")
