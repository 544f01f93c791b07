"""Configuration fuzz: any `[tool.mlreview]` table or editor settings object gives settings
plus one clear message per bad key (defaults for those keys), never an exception."""

from __future__ import annotations

import json
import math
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mlreview.cli import main as cli_main
from mlreview.lsp.settings import ConfigStore
from mlreview.rules.config import (
    EDITOR_KEYS,
    FIELD_OF,
    FILE_KEYS,
    ConfigError,
    Settings,
    find_config_file,
    load_config_file,
    parse_settings,
)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEFAULTS = Settings()

# Values a user (or a buggy editor extension) might write, TOML-serialisable.
scalars = (
    st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["ML1\nML2", "a'b", "ML", "ML2", "ml201", "ALL", "E501", "ML2,ML3", "error", "hint",
                                              "debug", "off", "http://x", "*.py", "", " "])
)
toml_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(min_size=1, max_size=8) | st.sampled_from(["ML201", "ml2", "*.py"]), children, max_size=3),
    max_leaves=8,
)
json_values = toml_values | st.none() | st.floats()  # editors may send null and NaN-like junk
keys = st.sampled_from(EDITOR_KEYS) | st.sampled_from(["selct", "Select", "extend_select", "per_file_ignores", "x"]) \
    | st.text(min_size=1, max_size=10)


def check_outcome(raw: dict, editor: bool) -> None:
    """One message per bad key, naming it; bad keys keep their defaults; good keys are applied."""
    combined, messages = parse_settings(raw, "origin", editor=editor)
    allowed = EDITOR_KEYS if editor else FILE_KEYS
    expected = 0
    for key, value in raw.items():
        alone, own = parse_settings({key: value}, "origin", editor=editor)
        assert len(own) <= 1
        expected += len(own)
        if own:
            assert repr(key) in own[0] or f"'{key}'" in own[0], own
            if key in allowed:  # a bad value: that setting keeps its default
                assert getattr(combined, FIELD_OF[key]) == getattr(DEFAULTS, FIELD_OF[key])
        else:
            assert key in allowed
            assert getattr(combined, FIELD_OF[key]) == getattr(alone, FIELD_OF[key])
    assert len(messages) == expected
    assert all(isinstance(m, str) and m.startswith("origin: ") and "\n" not in m for m in messages)
    for field in fields(Settings):
        hash(getattr(combined, field.name))  # settings stay immutable values (cached per folder)


@FUZZ
@given(st.dictionaries(keys, toml_values, max_size=6))
def test_file_settings_fuzz(raw):
    check_outcome(raw, editor=False)


@FUZZ
@given(st.dictionaries(keys, json_values, max_size=6))
def test_editor_settings_fuzz(raw):
    check_outcome(raw, editor=True)


@FUZZ
@given(json_values | st.dictionaries(st.sampled_from(["mlreview", "settings", "select"]), json_values, max_size=2))
def test_editor_payloads_of_any_shape(payload):
    """initializationOptions / didChangeConfiguration may carry anything at all."""
    store = ConfigStore()
    store.set_editor(payload)
    settings, problems = store.settings_for(None)
    assert isinstance(settings, Settings)
    assert all(isinstance(p, str) for p in problems)


# ----- config files --------------------------------------------------------------------------


def toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, except that TOML also forbids a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(key: str) -> str:
    return toml_string(key)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "inf" if value == math.inf else "-inf" if value == -math.inf else repr(value)
    if isinstance(value, (int, str)):
        return toml_string(value) if isinstance(value, str) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def pyproject(table: dict) -> str:
    lines = ["[project]", 'name = "demo"', "", "[tool.mlreview]"]
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, toml_values, max_size=5))
def test_generated_pyproject_files(tmp_path_factory, table):
    folder = tmp_path_factory.mktemp("project")
    path = folder / "pyproject.toml"
    path.write_text(pyproject(table), encoding="utf-8")
    assert find_config_file(folder) == path
    settings, messages = load_config_file(path)
    _, expected = parse_settings(table, "x")
    assert len(messages) == len(expected)
    assert settings.root == folder


@pytest.mark.parametrize("text", [
    "tool = 5\n", 'tool = "mlreview"\n', "[tool]\nmlreview = 5\n", "[tool]\nmlreview = [1]\n",
    "[[tool.mlreview]]\nselect = ['ML1']\n", "[tool.mlreview\n", "\xff", "",
    "[tool.mlreview]\nselect = 'ML1'\nselect = 'ML2'\n",  # duplicate key: invalid TOML
])
def test_odd_pyproject_files(tmp_path, text):
    path = tmp_path / "pyproject.toml"
    path.write_bytes(text.encode("utf-8", "surrogateescape") if text != "\xff" else b"\xff")
    find_config_file(tmp_path)
    try:
        settings, messages = load_config_file(path)
    except ConfigError as exc:
        assert str(path) in str(exc)
        return
    assert isinstance(settings, Settings) and len(messages) <= 1


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(keys, toml_values, max_size=4))
def test_cli_with_a_generated_pyproject(tmp_path_factory, table):
    folder = tmp_path_factory.mktemp("cli")
    (folder / "pyproject.toml").write_text(pyproject(table), encoding="utf-8")
    script = folder / "train.py"
    script.write_text("import pickle\nmodel = pickle.load(open('m.pkl', 'rb'))\n", encoding="utf-8")
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(folder):
        status = cli_main(["check", "train.py", "--output-format", "json"])
    _, expected = parse_settings(table, "x")
    messages = err.getvalue().strip().splitlines()
    assert len(messages) == len(expected)
    assert all("pyproject.toml [tool.mlreview]" in m for m in messages)
    assert status == (2 if expected else 1 if json.loads(out.getvalue()) else 0)
