"""Every change of a QA record: one function each, the access check inside, an audit event each."""

from redressal.quality.services.appeals import decide_appeal, file_appeal
from redressal.quality.services.config import current_config, rubric_of, rule_of, update_config
from redressal.quality.services.inspection import request_calibration, submit_score
from redressal.quality.services.sampling import draw_due_samples, draw_sample

__all__ = [
    "current_config",
    "decide_appeal",
    "draw_due_samples",
    "draw_sample",
    "file_appeal",
    "request_calibration",
    "rubric_of",
    "rule_of",
    "submit_score",
    "update_config",
]
