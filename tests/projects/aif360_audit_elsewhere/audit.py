from aif360.metrics import ClassificationMetric


def disparate_impact(dataset, predictions):
    return ClassificationMetric(dataset, predictions, unprivileged_groups=[{"race": 0}],
                                privileged_groups=[{"race": 1}]).disparate_impact()
