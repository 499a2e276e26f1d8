"""Every state change of a case, one function each (ARCHITECTURE §2)."""

from redressal.cases.services.clock import extend_deadline, pause_clock, restart_clock, resume_clock
from redressal.cases.services.decision import (
    Notice,
    decline_case,
    merge_case,
    record_feedback,
    reopen_case,
    respond_to_case,
    withdraw_case,
)
from redressal.cases.services.handling import (
    accept_case,
    add_evidence,
    add_note,
    assign_case,
    escalate_case,
    open_task,
    reply_task,
    set_responsibility,
    start_investigation,
)
from redressal.cases.services.intake import (
    RegisterInput,
    answer_case,
    get_case,
    intake_unit,
    receive_case,
    receive_correspondence,
    register_case,
)
from redressal.cases.services.review import record_visit, request_review
from redressal.cases.services.solution import approve_proposal, propose_solution, reject_proposal
from redressal.cases.steps import ChannelOrigin

__all__ = [
    "ChannelOrigin",
    "Notice",
    "RegisterInput",
    "accept_case",
    "add_evidence",
    "add_note",
    "answer_case",
    "approve_proposal",
    "assign_case",
    "decline_case",
    "escalate_case",
    "extend_deadline",
    "get_case",
    "intake_unit",
    "merge_case",
    "open_task",
    "pause_clock",
    "propose_solution",
    "receive_case",
    "receive_correspondence",
    "record_feedback",
    "record_visit",
    "register_case",
    "reject_proposal",
    "reopen_case",
    "reply_task",
    "request_review",
    "respond_to_case",
    "restart_clock",
    "resume_clock",
    "set_responsibility",
    "start_investigation",
    "withdraw_case",
]
