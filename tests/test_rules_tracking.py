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
