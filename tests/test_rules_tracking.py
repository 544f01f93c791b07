"""ML601 beyond the case files: its agreement with ML306, and its message."""

from __future__ import annotations

from support import findings, only


def test_tracking_and_evaluation_agree_on_the_first_training_call():
    found = {f.code: f.span for f in findings("""
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import Ridge
        scaler = StandardScaler().fit(X)
        ridge = Ridge()
        ridge.fit(scaler.transform(X), y)
        """) if f.code in ("ML306", "ML601")}
    assert found["ML306"] == found["ML601"]
    assert found["ML601"].line == 6


def test_no_tracking_message_names_the_model():
    finding = only("""
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(random_state=0)
        model.fit(X_train, y_train)
        """, "ML601")
    assert "RandomForestClassifier" in finding.message


def test_hardcoded_hyperparameters_is_a_hint_naming_the_literals():
    finding = only("""
        import torch
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    """, "ML602")
    assert finding.rule.severity.value == "hint" and finding.rule.red_flag == "hardcoded hyperparameters"
    assert "`lr=0.01`, `momentum=0.9`" in finding.message
    assert (finding.span.line, finding.span.col) == (3, 12)


def test_hardcoded_hyperparameters_quiet_in_tests():
    from mlreview.engine import analyse_text
    from mlreview.rules.config import Settings

    source = "from sklearn.svm import SVC\nclf = SVC(C=10.0, gamma=0.01)\n"
    assert [f.code for f in analyse_text(source, Settings(select=("ML602",)), path="project/train.py").findings] \
        == ["ML602"]
    assert analyse_text(source, Settings(select=("ML602",)), path="project/tests/test_svc.py").findings == []
