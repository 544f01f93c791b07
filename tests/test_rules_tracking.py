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


def test_pii_feature_sits_on_the_fit_and_lists_the_columns():
    finding = only("""
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("users.csv")
        X = df[["EmailAddress", "age", "phone"]]
        LogisticRegression().fit(X, df["churned"])
    """, "ML604")
    assert finding.span.line == 6 and finding.span.col == 0
    assert 'keep the personal-data columns "EmailAddress", "phone": drop them' in finding.message


def test_pii_columns_by_close_variant():
    from mlreview.diagnostics.tracking.ml604_pii_feature import pii_kind

    assert [pii_kind(name) for name in ("DateOfBirth", "home address", "ip", "passport-no", "customer_name")] == \
        ["date_of_birth", "address", "ip", "passport_no", "name"]
    assert [pii_kind(name) for name in ("email_opens", "username_length", "hostname", "phone_calls")] == \
        [None, None, None, None]
