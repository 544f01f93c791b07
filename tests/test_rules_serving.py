"""ML5 serving and artifacts beyond the case files: severities, spans, and whether a fix is safe."""

from __future__ import annotations

import pytest
from support import Settings, Severity, apply_edits, assert_fix_contract, build_fix, findings, fix_all, only


@pytest.mark.parametrize("source, severity", [
    ("import torch\ns = torch.load('m.pt')", Severity.INFORMATION),
    ("import torch\ns = torch.load('m.pt', weights_only=False)", Severity.ERROR),
    ("import pickle\ns = pickle.load(fh)", Severity.WARNING),
])
def test_unsafe_deserialization_severity_per_case(source, severity):
    assert only(source, "ML501").severity == severity


def test_configured_severity_overrides_the_per_case_one():
    settings = Settings(severity=(("ML501", Severity.HINT),), extend_select=("ML501",))  # ML501 is opt-in
    [finding] = findings("import torch\ns = torch.load('m.pt', weights_only=False)\n", settings=settings)
    assert finding.severity == Severity.HINT


def test_unsafe_deserialization_sits_on_the_call():
    span = only("import torch\nmodel.load_state_dict(torch.load(PATH))\n", "ML501").span
    assert (span.line, span.col, span.end_col) == (2, 22, 38)


@pytest.mark.parametrize("source, expected", [
    ("import torch\nstate = torch.load('m.pt')", "state = torch.load('m.pt', weights_only=True)"),
    ("import torch\nstate = torch.load('m.pt', weights_only=False)", "state = torch.load('m.pt', weights_only=True)"),
    ("import torch as T\nstate = T.load(p, map_location='cpu')", "state = T.load(p, map_location='cpu', weights_only=True)"),
])
def test_torch_load_fix_is_weights_only_and_unsafe(source, expected):
    fix = build_fix(source, only(source, "ML501"))
    assert fix.applicability == "unsafe"  # full pickled models stop loading
    assert apply_edits(source, fix.edits).splitlines()[-1] == expected
    assert_fix_contract(source, "ML501")
    assert fix_all(source) == source  # --fix applies safe fixes only


@pytest.mark.parametrize("source, expected", [
    ("import yaml\ncfg = yaml.load(fh)", "cfg = yaml.safe_load(fh)"),
    ("import yaml\ncfg = yaml.load(fh, Loader=yaml.FullLoader)", "cfg = yaml.safe_load(fh)"),
    ("import yaml as y\ncfg = y.load(fh, y.Loader)", "cfg = y.safe_load(fh)"),
    ("import yaml\ndocs = yaml.load_all(fh)", "docs = yaml.safe_load_all(fh)"),
    ("import yaml\ndef read(fh):\n    return yaml.load(\n        fh,\n        Loader=yaml.UnsafeLoader,\n    )",
     "    return yaml.safe_load(\n        fh,\n    )"),
])
def test_yaml_fix_is_safe_load(source, expected):
    fix = build_fix(source, only(source, "ML501"))
    assert fix.applicability == "safe"
    assert apply_edits(source, fix.edits).endswith(expected)
    assert_fix_contract(source, "ML501")


def test_trust_remote_code_sits_on_the_keyword():
    source = "from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    'org/m',\n    trust_remote_code=True,\n)\n"
    span = only(source, "ML502").span
    assert (span.line, span.col, span.end_col) == (4, 4, 26)


def test_unpinned_sits_on_the_hub_id():
    finding = only("from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m')\n", "ML503")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (2, 30, 37)
    assert finding.severity == Severity.INFORMATION


def test_unversioned_artifact_sits_on_the_save_call():
    finding = only("import joblib\nfrom sklearn.ensemble import RandomForestClassifier\nmodel = RandomForestClassifier()\n"
                   "model.fit(X, y)\njoblib.dump(model, 'model.pkl')\n", "ML504")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (5, 0, 31)
    assert finding.severity == Severity.INFORMATION
