"""Which service runs each case command: the table ``execute`` reads, registered when the app is ready
(``CasesConfig.ready``): the services import the commands, so the commands cannot import them."""

from __future__ import annotations

from typing import Any

from redressal.cases import commands as c
from redressal.cases.commands import Accept, Decline, ProposeSolution, Respond, SetResponsibility
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
from redressal.cases.services.extension_requests import request_extension
from redressal.cases.services.handling import (
    accept_case,
    add_evidence,
    add_note,
    assign_case,
    escalate_case,
    open_task,
    set_responsibility,
    start_investigation,
)
from redressal.cases.services.intake import answer_case
from redressal.cases.services.solution import approve_proposal, propose_solution, reject_proposal


def _respond(command: Respond) -> dict[str, Any]:
    n = command.notice
    notice = Notice(channel=n.channel, content=n.content, routes=list(n.routes), at=n.at)
    return {**c.arguments(command), "notice": notice}


def _proposal(command: ProposeSolution) -> dict[str, Any]:
    items = [{"kind": i.kind, "amount": i.amount, "description": i.description} for i in command.items]
    return {**c.arguments(command), "items": items}


def _evidence(command: c.AddEvidence) -> dict[str, Any]:
    args = c.arguments(command)
    upload: c.Upload = args.pop("file")
    return {**args, "filename": upload.filename, "content_type": upload.content_type, "stream": upload.stream}


TABLE: dict[type[c.Command], c.Handler] = {
    Accept: c.calling(accept_case),
    c.Assign: c.calling(assign_case),
    c.StartInvestigation: c.calling(start_investigation),
    c.AddNote: c.calling(add_note),
    c.AddEvidence: c.calling(add_evidence, shape=_evidence),
    c.OpenTask: c.calling(open_task, rename={"department": "department_code"}),
    SetResponsibility: c.calling(set_responsibility),
    ProposeSolution: c.calling(propose_solution, shape=_proposal),
    c.Approve: c.calling(approve_proposal),
    c.Reject: c.calling(reject_proposal),
    Respond: c.calling(respond_to_case, shape=_respond),
    c.RecordFeedback: c.calling(record_feedback),
    c.Reopen: c.calling(reopen_case),
    c.Extend: c.calling(extend_deadline),
    c.RequestExtension: c.calling(request_extension),
    c.Pause: c.calling(pause_clock),
    c.Resume: c.calling(resume_clock),
    c.RestartClock: c.calling(restart_clock),
    c.Withdraw: c.calling(withdraw_case),
    Decline: c.calling(decline_case),
    c.Merge: c.calling(merge_case, rename={"into": "into_case_number"}),
    c.Escalate: c.calling(escalate_case, rename={"to_unit": "to_unit_code"}),
    c.Answer: c.calling(answer_case),
}

for _command, _handler in TABLE.items():
    c.register(_command, _handler)
