"""The changes of root-cause issues, improvement actions and accountability findings: each checks its
permission and scope here, and records who, when and why in the audit chain."""

from redressal.improvement.services.accountability import (
    MeasureInput,
    add_measure,
    cancel_measure,
    carry_out_measure,
    record_accountability,
)
from redressal.improvement.services.actions import add_action, cancel_action, complete_action
from redressal.improvement.services.issues import (
    Criterion,
    close_issue,
    link_case,
    open_issue,
)

__all__ = [
    "Criterion",
    "MeasureInput",
    "add_action",
    "add_measure",
    "cancel_action",
    "cancel_measure",
    "carry_out_measure",
    "close_issue",
    "complete_action",
    "link_case",
    "open_issue",
    "record_accountability",
]
