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
