"""ML507 unmonitored-prediction: the project serves predictions and records nothing about them."""

from __future__ import annotations

from ...rules.findings import Severity
from ...rules.rule import Rule
from ...project.model import project_finding
from .common import judged_alone, subject

RULE = Rule(
    code="ML507",
    name="unmonitored-prediction",
    severity=Severity.INFORMATION,
    principle="Monitoring",
    area="Model Serving",
    red_flag="no monitoring in production",
    summary="The project serves predictions but nothing in it records them (metrics, drift, logs).",
    why="A served model degrades silently: inputs drift, a feature pipeline breaks, latency grows. "
    "Without prediction metrics, drift monitoring or at least a log of inputs and outputs, "
    "nobody notices until users do, and there is nothing to debug with.",
    bad="@app.post(\"/predict\")\ndef predict(item: Item):\n    return {\"y\": model.predict([item.x])[0]}",
    good="PREDICTIONS = Counter(\"predictions_total\", \"served predictions\")\n\n@app.post(\"/predict\")\n"
    "def predict(item: Item):\n    y = model.predict([item.x])[0]\n    PREDICTIONS.inc()\n"
    "    log.info(\"prediction %s for %s\", y, item)\n    return {\"y\": y}",
)


@RULE.project_checker
def check_unmonitored_prediction(project, rule):
    handler = project.first("serves")
    if handler is None or project.any("monitors"):
        return
    path, at = handler
    yield project_finding(rule, path, at, f"{subject(project)} serves predictions ({at.label}) but nothing "
                          "records them: no prediction or latency metrics, drift monitoring or logged "
                          "predictions")


@RULE.checker
def check_file_alone(model, rule):
    """Alone (`project = false`, a buffer outside any project) a file is its own project."""
    yield from judged_alone(model, rule)
