"""PROJECT-scope rules (RULES.md "Project scope"): red flags that belong to a project, judged
over every file's facts (server/project/) and anchored at the first place that makes them true."""

from . import (ml306_missing_evaluation, ml307_no_baseline, ml507_unmonitored_prediction,
               ml601_no_experiment_tracking, ml603_sensitive_feature_unaudited, ml605_missing_model_card,
               ml606_unversioned_training_data, ml607_unpinned_ml_dependencies)
from .common import judge_each_file

RULES = [module.RULE for module in (
    ml306_missing_evaluation, ml307_no_baseline, ml507_unmonitored_prediction, ml601_no_experiment_tracking,
    ml603_sensitive_feature_unaudited, ml605_missing_model_card, ml606_unversioned_training_data,
    ml607_unpinned_ml_dependencies)]
for _rule in RULES:
    judge_each_file(_rule)
