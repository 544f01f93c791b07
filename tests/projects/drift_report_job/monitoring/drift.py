from evidently.metric_preset import DataDriftPreset
from evidently.report import Report


def drift(reference, current):
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=reference, current_data=current)
    return report
