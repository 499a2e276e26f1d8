"""Every operation of the API × every role of the bank, against one readable table (SPEC §1, §13).

``REQUIRES`` names the permission each operation needs; ``MATRIX`` is the resulting table, written out
so a reviewer can read who may do what. ``test_matrix_is_role_permissions`` keeps the table equal to
what ``ROLE_PERMISSIONS`` grants, ``test_every_operation_is_in_the_table`` keeps it equal to the OpenAPI
schema (a new endpoint without a row fails), and ``test_matrix`` sends each request, on a case freshly
brought to a state where the action is possible, as each role and as nobody:

- anonymous → 401 everywhere except ``POST /auth/token``;
- a role without the permission → 403 and nothing written (on a case it cannot even read:
  403 "you may not read this case", as ``selectors.readable_case`` answers);
- a role with the permission → the operation's success status.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent, CollaborationTask, FollowUpVisit, Proposal
from redressal.customers.services import CustomerInput
from redressal.domain.roles import ROLE_PERMISSIONS, Role
from redressal.improvement.models import AccountabilityMeasure
from redressal.improvement.services import (
    MeasureInput,
    add_action,
    complete_action,
    open_issue,
    record_accountability,
)
from redressal.library.models import Enrolment, LibraryEntry
from tests.conftest import PASSWORD, local
from tests.flows import accept, confirm_codes, respond

NOW = local(2024, 9, 10, 10, 0)  # a Tuesday; the case arrived the day before
RECEIVED = local(2024, 9, 9, 9, 30)

PUBLIC = "(public)"
STAFF = "(any staff)"  # every signed-in member of staff; the answer is filtered to what they may see
# "a+b": the operation needs both permissions (answering a mass incident: seeing it, and responding);
# "a|b": either of them.

# The permission each operation requires (ROLE_PERMISSIONS' vocabulary).
REQUIRES: dict[str, str] = {
    "POST /auth/token": PUBLIC,
    "POST /auth/revoke": STAFF,
    "GET /customers": "customer.read",
    "POST /cases": "case.register",
    "GET /cases": STAFF,
    "GET /cases/{case_id}": "case.read",
    "GET /cases/{case_id}/events": "case.read",
    "POST /cases/{case_id}/accept": "case.accept",
    "POST /cases/{case_id}/assign": "case.assign",
    "POST /cases/{case_id}/start_investigation": "case.investigate",
    "POST /cases/{case_id}/add_note": "case.investigate",
    "POST /cases/{case_id}/add_evidence": "case.investigate",
    "POST /cases/{case_id}/open_task": "case.task",
    "POST /cases/{case_id}/set_responsibility": "case.investigate",
    "POST /cases/{case_id}/propose_solution": "case.propose",
    "POST /cases/{case_id}/approve": "case.approve",
    "POST /cases/{case_id}/reject": "case.approve",
    "POST /cases/{case_id}/respond": "case.respond",
    "POST /cases/{case_id}/record_feedback": "case.feedback",
    "POST /cases/{case_id}/reopen": "case.reopen",
    "POST /cases/{case_id}/extend": "case.approve_extension.l1",
    "POST /cases/{case_id}/pause": "case.clock",
    "POST /cases/{case_id}/resume": "case.clock",
    "POST /cases/{case_id}/restart_clock": "case.clock",
    "POST /cases/{case_id}/withdraw": "case.withdraw",
    "POST /cases/{case_id}/decline": "case.decline",
    "POST /cases/{case_id}/merge": "case.merge",
    "POST /cases/{case_id}/escalate": "case.escalate",
    "POST /cases/{case_id}/request_review": "case.request_review",
    "POST /cases/{case_id}/answer": "case.answer",
    "POST /cases/{case_id}/confirm_classification": "case.investigate",
    # The web's task list: those who answer tasks and those who open them (issue 12: the API applied no check).
    "GET /tasks": "task.read|case.task",
    "POST /tasks/{task_id}/reply": "task.reply",
    "POST /visits/{visit_id}/record": "case.visit",
    "POST /customers/{customer_id}/reveal": "pii.view",
    # …and for the case's team only (domain.contact): tests/api/test_contact_phone.py refuses the rest.
    "POST /cases/{case_id}/reveal_contact": "case.contact",
    "GET /notifications": STAFF,
    "GET /audit/backdated": "audit.read",
    "GET /reports/regulatory": "report.regulatory",
    "GET /reports/regulatory/cases": "report.regulatory",
    "GET /mass_incidents": "case.review",
    "POST /mass_incidents/{incident_id}/bulk_respond": "case.review+case.respond",
    # Root-cause issues and accountability (溯源整改, 问责): the list is filtered to what each may see.
    "GET /improvement/issues": STAFF,
    "POST /improvement/issues": "improvement.manage",
    "GET /improvement/issues/{issue_id}": "improvement.read",
    "POST /improvement/issues/{issue_id}/actions": "improvement.manage",
    "POST /improvement/issues/{issue_id}/close": "improvement.manage",
    "GET /improvement/staff/{username}/accountability": "accountability.read",
    # The case library (read by all staff but administrators) and training.
    "GET /library/entries": "library.read",
    "GET /library/entries/{entry_id}": "library.read",
    "POST /cases/{case_id}/typical": "library.write",
    # One's own record here (tests/library refuses others' outside training.read).
    "GET /training/staff/{staff_id}/record": STAFF,
    # By a manager of the course here (tests/library: the session's trainer too, never oneself).
    "POST /training/enrolments/{enrolment_id}/result": "training.manage",
    "GET /quality/scorecards": STAFF,
    "GET /quality/inspections": "qa.inspect",
    "POST /quality/inspections/{inspection_id}/scores": "qa.inspect",
    # Accountability (问责) written through the API; an improvement action completed by its owner —
    # here each role completes an action it owns (tests/improvement: anybody else is refused).
    "POST /improvement/accountability": "accountability.manage",
    "POST /improvement/accountability/{accountability_id}/measures": "accountability.manage",
    "POST /improvement/measures/{measure_id}/done": "accountability.manage",
    "POST /improvement/measures/{measure_id}/cancel": "accountability.manage",
    "POST /improvement/actions/{action_id}/complete": STAFF,
}

# Y = allowed, - = refused. Columns: agent, handler, supervisor, branch_head, senior_manager,
# collaborator, compliance, qa_inspector, auditor, admin, anonymous.
MATRIX = """
operation                                   ag ha su bh sm co cp qa au ad anon
POST /auth/token                            Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y
POST /auth/revoke                           Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  -
GET /customers                              Y  Y  Y  Y  Y  -  Y  Y  Y  -  -
POST /cases                                 Y  Y  Y  Y  -  -  -  -  -  -  -
GET /cases                                  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  -
GET /cases/{case_id}                        Y  Y  Y  Y  Y  -  Y  Y  Y  -  -
GET /cases/{case_id}/events                 Y  Y  Y  Y  Y  -  Y  Y  Y  -  -
POST /cases/{case_id}/accept                -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/assign                -  -  Y  Y  Y  -  -  -  -  -  -
POST /cases/{case_id}/start_investigation   -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/add_note              -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/add_evidence          -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/open_task             -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/set_responsibility    -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/propose_solution      -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/approve               -  -  Y  Y  Y  -  -  -  -  -  -
POST /cases/{case_id}/reject                -  -  Y  Y  Y  -  -  -  -  -  -
POST /cases/{case_id}/respond               -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/record_feedback       -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/reopen                -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/extend                -  -  Y  Y  Y  -  -  -  -  -  -
POST /cases/{case_id}/pause                 -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/resume                -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/restart_clock         -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/withdraw              -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/decline               -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/merge                 -  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/escalate              -  Y  Y  Y  Y  -  -  -  -  -  -
POST /cases/{case_id}/request_review        -  Y  Y  Y  -  -  Y  -  -  -  -
POST /cases/{case_id}/answer                Y  Y  Y  Y  -  -  -  -  -  -  -
POST /cases/{case_id}/confirm_classification -  Y  Y  Y  -  -  -  -  -  -  -
GET /tasks                                  -  Y  Y  Y  -  Y  -  -  -  -  -
POST /tasks/{task_id}/reply                 -  -  -  -  -  Y  -  -  -  -  -
POST /visits/{visit_id}/record              -  Y  Y  Y  -  -  -  -  -  -  -
POST /customers/{customer_id}/reveal        -  -  -  Y  Y  -  -  -  -  -  -
POST /cases/{case_id}/reveal_contact        -  Y  Y  Y  -  -  -  -  -  -  -
GET /notifications                          Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  -
GET /audit/backdated                        -  -  -  -  -  -  Y  -  Y  -  -
GET /reports/regulatory                     -  -  -  -  -  -  Y  -  -  -  -
GET /reports/regulatory/cases               -  -  -  -  -  -  Y  -  -  -  -
GET /mass_incidents                         -  -  Y  Y  Y  -  Y  -  -  -  -
POST /mass_incidents/{incident_id}/bulk_respond -  -  Y  Y  -  -  -  -  -  -  -
GET /improvement/issues                     Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  -
POST /improvement/issues                    -  -  Y  Y  -  -  Y  -  -  -  -
GET /improvement/issues/{issue_id}          -  Y  Y  Y  Y  -  Y  Y  Y  -  -
POST /improvement/issues/{issue_id}/actions -  -  Y  Y  -  -  Y  -  -  -  -
POST /improvement/issues/{issue_id}/close   -  -  Y  Y  -  -  Y  -  -  -  -
GET /improvement/staff/{username}/accountability -  -  Y  Y  Y  -  Y  -  Y  -  -
GET /library/entries                        Y  Y  Y  Y  Y  Y  Y  Y  Y  -  -
GET /library/entries/{entry_id}             Y  Y  Y  Y  Y  Y  Y  Y  Y  -  -
POST /cases/{case_id}/typical               -  -  Y  Y  -  -  Y  -  -  -  -
GET /training/staff/{staff_id}/record       Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  -
POST /training/enrolments/{enrolment_id}/result -  -  Y  Y  -  -  Y  -  -  -  -
GET /quality/scorecards                     Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  -
GET /quality/inspections                    -  -  -  -  -  -  -  Y  -  -  -
POST /quality/inspections/{inspection_id}/scores -  -  -  -  -  -  -  Y  -  -  -
POST /improvement/accountability             -  -  Y  Y  -  -  Y  -  -  -  -
POST /improvement/accountability/{accountability_id}/measures -  -  Y  Y  -  -  Y  -  -  -  -
POST /improvement/measures/{measure_id}/done -  -  Y  Y  -  -  Y  -  -  -  -
POST /improvement/measures/{measure_id}/cancel -  -  Y  Y  -  -  Y  -  -  -  -
POST /improvement/actions/{action_id}/complete Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  -
"""

COLUMNS = {
    "ag": "agent",
    "ha": "handler",
    "su": "supervisor",
    "bh": "branch_head",
    "sm": "senior_manager",
    "co": "collaborator",
    "cp": "compliance",
    "qa": "qa_inspector",
    "au": "auditor",
    "ad": "admin",
    "anon": "anonymous",
}
ROLES = [r for r in COLUMNS.values() if r != "anonymous"]
# The bank fixture's person for each role (tests/conftest.py).
USERNAME = {
    "agent": "agent1",
    "handler": "handler1",
    "supervisor": "supervisor1",
    "branch_head": "branchhead1",
    "senior_manager": "senior1",
    "collaborator": "collab1",
    "compliance": "compliance1",
    "qa_inspector": "qa1",
    "auditor": "auditor1",
    "admin": "admin",
}


def parse_matrix(text: str) -> dict[str, dict[str, bool]]:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    header = lines[0].split()[1:]
    out: dict[str, dict[str, bool]] = {}
    for line in lines[1:]:
        (*words,) = line.split()
        marks = words[-len(header) :]
        op = " ".join(words[: -len(header)])
        assert all(m in ("Y", "-") for m in marks), line
        assert op not in out, f"{op} appears twice in MATRIX"
        out[op] = {COLUMNS[col]: mark == "Y" for col, mark in zip(header, marks, strict=True)}
    return out


TABLE = parse_matrix(MATRIX)


def allowed_by_role_permissions(op: str, role: str) -> bool:
    need = REQUIRES[op]
    if need == PUBLIC:
        return True
    if role == "anonymous":
        return False
    granted = ROLE_PERMISSIONS[Role(role)]
    return need == STAFF or any(all(p in granted for p in alt.split("+")) for alt in need.split("|"))


def schema_operations() -> set[str]:
    from redressal.api.router import api

    schema = api.get_openapi_schema()
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.add(f"{method.upper()} {path.removeprefix('/api/v1')}")
    return ops


# --- the world each request runs in ---------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    body: dict[str, Any] | None = None
    multipart: bool = False
    success: int = 200


@dataclass
class World:
    bank: Any
    made: list[Case] = field(default_factory=list)

    def actor(self, key: str):
        return self.bank.actor(key)

    def case(self, state: str = "registered", *, request_type: str = "complaint", unit: str = "BJ") -> Case:
        handler = self.actor("handler")
        case = svc.register_case(
            svc.RegisterInput(
                request_type=request_type,
                channel="hotline",
                description="信用卡年费被重复收取两次，要求退还。",
                received_at=RECEIVED,
                customer=CustomerInput(name="王秀英", phone="13812345678", id_number="110101198001011234"),
                unit_code=unit,
            ),
            actor=self.actor("agent"),
        )
        steps = ["registered", "accepted", "investigating", "responded", "closed"]
        target = {"pending_approval": "investigating", "paused": "investigating"}.get(state, state)
        for step in steps[1 : steps.index(target) + 1]:
            if step == "accepted":
                accept(case.pk, handler)
            elif step == "investigating":
                svc.start_investigation(case.pk, actor=handler)
                confirm_codes(case.pk, handler)
            elif step == "responded":
                respond(
                    case.pk,
                    handler,
                    outcome="upheld",
                    reasons="重复扣费属实",
                    basis="信用卡领用合约第5条",
                    remedy="退还年费",
                    channel="phone",
                    confirm=False,
                )
            elif step == "closed":
                svc.record_feedback(case.pk, actor=handler, result="satisfied", csat=5)
        if state == "pending_approval":
            svc.propose_solution(
                case.pk, actor=handler, solution="退还并补偿", items=[{"kind": "refund", "amount": "600"}]
            )
        if state == "paused":
            svc.pause_clock(
                case.pk, actor=handler, reason="appraisal", external_party="司法鉴定中心", at=local(2024, 9, 10, 9)
            )
        case.refresh_from_db()
        assert case.status == ("investigating" if state == "paused" else state), (state, case.status)
        self.made.append(case)
        return case

    def task(self) -> CollaborationTask:
        case = self.case("accepted")
        svc.open_task(
            case.pk, actor=self.actor("handler"), department_code="TECH", title="调取日志", request="请提供交易日志"
        )
        return CollaborationTask.objects.get(case=case)

    def visit(self) -> FollowUpVisit:
        case = self.case("closed")
        visit = case.visits.first()
        return visit or FollowUpVisit.objects.create(case=case, due_date=NOW.date(), mandatory=True)


def inspection(w: World) -> int:
    """A case closed in September 2024, in the month's QA sample (drawn on 2 October)."""
    from redressal.domain.quality.months import Month
    from redressal.quality import services as qa
    from redressal.quality.models import QaInspection

    case = w.case("closed")
    with time_machine.travel(local(2024, 10, 2, 9, 0), tick=False):
        qa.draw_sample(Month(2024, 9), actor=None)
    return int(QaInspection.objects.get(case=case).pk)


SCORES = {"scores": {"timeliness": 5, "investigation": 4, "compliance": 5, "attitude": 4, "disclosure": 5,
                     "records": 4}}


def incident(w: World) -> int:
    """A mass incident of eight customers' cases in BJ, one of them ready to be answered."""
    from redressal.triage.models import MassIncident

    for i in range(8):
        case = svc.register_case(
            svc.RegisterInput(
                request_type="complaint",
                channel="mobile_banking",
                description=f"手机银行转账失败（第{i}位客户）",
                product="手机银行转账",
                customer=CustomerInput(name=f"客户{i}", phone=f"1390000{i:04d}", id_number=f"11010119800101{i:03d}X"),
                unit_code="BJ",
            ),
            actor=w.actor("agent"),
        )
        if i == 0:
            accept(case.pk, w.actor("handler"))
            svc.start_investigation(case.pk, actor=w.actor("handler"))
            confirm_codes(case.pk, w.actor("handler"))
    return int(MassIncident.objects.get().pk)


def library_entry(w: World) -> int:
    """A published library entry, written up from a closed case by the supervisor, published by compliance."""
    from redressal.library.services import entries

    case = w.case("closed")
    entry = entries.mark_typical(case.pk, actor=w.actor("sup"))
    data = entries.EntryInput(title=entry.title, facts=entry.facts, lessons="耐心解释")
    entries.edit_entry(entry.pk, actor=w.actor("sup"), data=data)
    entries.submit_entry(entry.pk, actor=w.actor("sup"))
    entries.publish_entry(entry.pk, actor=w.actor("compliance"))
    return int(entry.pk)


def enrolment(w: World) -> int:
    """The teller enrolled in a Beijing course's session taught by handler2."""
    from redressal.library.services import training

    course = training.create_course(actor=w.actor("sup"), topic="服务规范", unit=w.bank.branch)
    session = training.add_session(
        course.pk,
        actor=w.actor("sup"),
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=2),
        trainer=w.bank.people["handler2"],
        place="培训室",
    )
    return int(training.enrol(session.pk, actor=w.actor("sup"), staff=w.bank.people["teller"]).pk)


def c(case: Case, action: str) -> str:
    return f"/cases/{case.pk}/{action}"


RESPOND = {
    "outcome": "upheld",
    "reasons": "重复扣费属实",
    "basis": "信用卡领用合约第5条",
    "remedy": "退还年费",
    "notice": {
        "channel": "phone",
        "content": "经核实……",
        "routes": ["review", "mediation", "arbitration", "litigation"],
    },
}
ACCEPT = {"contact_channel": "phone", "contact_outcome": "reached", "no_direct_interest": True}

# How to reach each operation: bring a fresh case to a state where the action is possible.
SCENARIOS: dict[str, Callable[[World, str], Request]] = {
    "POST /auth/token": lambda w, role: Request(
        "POST", "/auth/token", {"username": USERNAME.get(role, "agent1"), "password": PASSWORD}
    ),
    "POST /cases": lambda w, role: Request(
        "POST",
        "/cases",
        {
            "request_type": "complaint",
            "channel": "hotline",
            "description": "网点服务态度差",
            "complainant_name": "张三",
            "unit": "BJ",
        },
        success=201,
    ),
    "GET /cases": lambda w, role: (w.case(), Request("GET", "/cases"))[1],
    "GET /cases/{case_id}": lambda w, role: Request("GET", f"/cases/{w.case().pk}"),
    "GET /cases/{case_id}/events": lambda w, role: Request("GET", f"/cases/{w.case().pk}/events"),
    "POST /cases/{case_id}/accept": lambda w, role: Request("POST", c(w.case(), "accept"), ACCEPT),
    "POST /cases/{case_id}/assign": lambda w, role: Request("POST", c(w.case(), "assign"), {"assignee": "handler2"}),
    "POST /cases/{case_id}/start_investigation": lambda w, role: Request(
        "POST", c(w.case("accepted"), "start_investigation"), {}
    ),
    "POST /cases/{case_id}/add_note": lambda w, role: Request(
        "POST", c(w.case(), "add_note"), {"text": "电话回访客户"}
    ),
    "POST /cases/{case_id}/add_evidence": lambda w, role: Request(
        "POST",
        c(w.case("accepted"), "add_evidence"),
        {
            "kind": "written",
            "description": "客户书面材料",
            "file": SimpleUploadedFile("letter.txt", "投诉信".encode(), content_type="text/plain"),
        },
        multipart=True,
    ),
    "POST /cases/{case_id}/open_task": lambda w, role: Request(
        "POST", c(w.case("accepted"), "open_task"), {"department": "TECH", "title": "调取日志", "request": "请提供日志"}
    ),
    "POST /cases/{case_id}/set_responsibility": lambda w, role: Request(
        "POST", c(w.case("investigating"), "set_responsibility"), {"finding": "bank", "measure": "training"}
    ),
    "POST /cases/{case_id}/propose_solution": lambda w, role: Request(
        "POST",
        c(w.case("investigating"), "propose_solution"),
        {"solution": "退还年费", "items": [{"kind": "refund", "amount": "100.00"}]},
    ),
    "POST /cases/{case_id}/approve": lambda w, role: Request(
        "POST", c(w.case("pending_approval"), "approve"), {"reason": "依据充分"}
    ),
    "POST /cases/{case_id}/reject": lambda w, role: Request(
        "POST", c(w.case("pending_approval"), "reject"), {"reason": "金额依据不足"}
    ),
    "POST /cases/{case_id}/respond": lambda w, role: Request("POST", c(w.case("investigating"), "respond"), RESPOND),
    "POST /cases/{case_id}/record_feedback": lambda w, role: Request(
        "POST", c(w.case("responded"), "record_feedback"), {"result": "satisfied", "csat": 5}
    ),
    "POST /cases/{case_id}/reopen": lambda w, role: Request(
        "POST", c(w.case("closed"), "reopen"), {"reason": "客户补充新材料", "new_facts": True}
    ),
    "POST /cases/{case_id}/extend": lambda w, role: Request(
        "POST", c(w.case(), "extend"), {"level": 1, "reason": "情况复杂", "justification": "需调取多方记录"}
    ),
    "POST /cases/{case_id}/pause": lambda w, role: Request(
        "POST", c(w.case("accepted"), "pause"), {"reason": "appraisal", "external_party": "司法鉴定中心"}
    ),
    "POST /cases/{case_id}/resume": lambda w, role: Request("POST", c(w.case("paused"), "resume"), {}),
    "POST /cases/{case_id}/restart_clock": lambda w, role: Request(
        "POST", c(w.case("accepted"), "restart_clock"), {"reason": "客户提交新的证据材料"}
    ),
    "POST /cases/{case_id}/withdraw": lambda w, role: Request("POST", c(w.case(), "withdraw"), {"reason": "客户撤诉"}),
    "POST /cases/{case_id}/decline": lambda w, role: Request(
        "POST", c(w.case(), "decline"), {"reason_code": "not_our_business", "notice": "非本行业务，请联系相关机构"}
    ),
    "POST /cases/{case_id}/merge": lambda w, role: Request(
        "POST", c(w.case(), "merge"), {"into": w.case().case_number, "reason": "重复投诉"}
    ),
    "POST /cases/{case_id}/escalate": lambda w, role: Request(
        "POST", c(w.case(), "escalate"), {"to_unit": "HO", "reason": "涉及多家分行"}
    ),
    "POST /cases/{case_id}/request_review": lambda w, role: Request(
        "POST", c(w.case("responded"), "request_review"), {"reason": "对答复不满意"}, success=201
    ),
    "POST /cases/{case_id}/answer": lambda w, role: Request(
        "POST", c(w.case(request_type="consultation"), "answer"), {"answer": "年费减免政策如下……"}
    ),
    "POST /cases/{case_id}/confirm_classification": lambda w, role: Request(
        "POST", c(w.case(), "confirm_classification"), {"axis": "cause", "code": "C11"}
    ),
    "GET /tasks": lambda w, role: (w.task(), Request("GET", "/tasks"))[1],
    "POST /tasks/{task_id}/reply": lambda w, role: Request(
        "POST", f"/tasks/{w.task().pk}/reply", {"reply": "日志已提供"}
    ),
    "POST /visits/{visit_id}/record": lambda w, role: Request(
        "POST", f"/visits/{w.visit().pk}/record", {"channel": "phone", "reached": True, "satisfaction": 5}
    ),
    "POST /customers/{customer_id}/reveal": lambda w, role: Request(
        "POST", f"/customers/{w.case().customer_id}/reveal", {"field": "phone", "reason": "回电核实身份"}
    ),
    "POST /cases/{case_id}/reveal_contact": lambda w, role: Request(
        "POST", f"/cases/{w.case().pk}/reveal_contact", {"reason": "回电告知处理进展"}
    ),
    "GET /notifications": lambda w, role: Request("GET", "/notifications"),
    "GET /audit/backdated": lambda w, role: Request("GET", "/audit/backdated"),
    "GET /reports/regulatory": lambda w, role: Request("GET", "/reports/regulatory?period=2024Q3"),
    "GET /reports/regulatory/cases": lambda w, role: (
        w.case(), Request("GET", "/reports/regulatory/cases?period=2024Q3&figure=total")
    )[1],
    "POST /auth/revoke": lambda w, role: Request("POST", "/auth/revoke"),
    "GET /customers": lambda w, role: Request("GET", f"/customers?phone={w.case().customer.phone}"),
    "GET /mass_incidents": lambda w, role: (incident(w), Request("GET", "/mass_incidents"))[1],
    "POST /mass_incidents/{incident_id}/bulk_respond": lambda w, role: Request(
        "POST", f"/mass_incidents/{incident(w)}/bulk_respond", RESPOND
    ),
    "GET /improvement/issues": lambda w, role: (issue(w), Request("GET", "/improvement/issues"))[1],
    "POST /improvement/issues": lambda w, role: Request(
        "POST", "/improvement/issues",
        {"title": "重复收取年费", "root_cause": "批量扣费脚本重复执行", "unit": "BJ", "owner": "supervisor1",
         "cause_code": "C11", "case_id": w.case().pk},
        success=201,
    ),
    "GET /improvement/issues/{issue_id}": lambda w, role: Request("GET", f"/improvement/issues/{issue(w)}"),
    "POST /improvement/issues/{issue_id}/actions": lambda w, role: Request(
        "POST", f"/improvement/issues/{issue(w)}/actions",
        {"title": "修复扣费脚本", "owner": "handler1", "due_in_working_days": 5}, success=201,
    ),
    "POST /improvement/issues/{issue_id}/close": lambda w, role: Request(
        "POST", f"/improvement/issues/{issue(w, done=True)}/close", {"note": "脚本已修复"}
    ),
    "GET /improvement/staff/{username}/accountability": lambda w, role: Request(
        "GET", "/improvement/staff/handler2/accountability"
    ),
    "GET /library/entries": lambda w, role: (library_entry(w), Request("GET", "/library/entries"))[1],
    "GET /library/entries/{entry_id}": lambda w, role: Request("GET", f"/library/entries/{library_entry(w)}"),
    "POST /cases/{case_id}/typical": lambda w, role: Request("POST", c(w.case("closed"), "typical"), {}, success=201),
    "GET /training/staff/{staff_id}/record": lambda w, role: Request(
        "GET", f"/training/staff/{w.bank.people[PERSON[role]].pk}/record"
    ),
    "POST /training/enrolments/{enrolment_id}/result": lambda w, role: Request(
        "POST", f"/training/enrolments/{enrolment(w)}/result", {"attendance": "present", "score": 80}
    ),
    "GET /quality/scorecards": lambda w, role: Request("GET", "/quality/scorecards?month=2024-09"),
    "GET /quality/inspections": lambda w, role: (
        inspection(w),
        Request("GET", "/quality/inspections?month=2024-09"),
    )[1],
    "POST /quality/inspections/{inspection_id}/scores": lambda w, role: Request(
        "POST", f"/quality/inspections/{inspection(w)}/scores", SCORES, success=201
    ),
    "POST /improvement/accountability": lambda w, role: Request(
        "POST", "/improvement/accountability",
        {"case_id": found(w), "staff": "teller1", "finding": "对老年客户不耐烦",
         "measures": [{"kind": "training", "description": "再培训", "due_in_working_days": 10}]},
        success=201,
    ),
    "POST /improvement/accountability/{accountability_id}/measures": lambda w, role: Request(
        "POST", f"/improvement/accountability/{accountability(w)}/measures",
        {"kind": "warning", "due_in_working_days": 5}, success=201,
    ),
    "POST /improvement/measures/{measure_id}/done": lambda w, role: Request(
        "POST", f"/improvement/measures/{measure(w)}/done", {"evidence_note": "已谈话并存档"}
    ),
    "POST /improvement/measures/{measure_id}/cancel": lambda w, role: Request(
        "POST", f"/improvement/measures/{measure(w)}/cancel", {"reason": "复核后认定不应追责"}
    ),
    "POST /improvement/actions/{action_id}/complete": lambda w, role: Request(
        "POST", f"/improvement/actions/{action(w, USERNAME.get(role, 'agent1'))}/complete",
        {"note": "已修复", "file": SimpleUploadedFile("fix.pdf", b"%PDF-1.4 fix", content_type="application/pdf")},
        multipart=True,
    ),
}
# The bank fixture's key for each role's person (its own training record).
PERSON = {
    "agent": "agent",
    "handler": "handler",
    "supervisor": "sup",
    "branch_head": "head",
    "senior_manager": "senior",
    "collaborator": "collab",
    "compliance": "compliance",
    "qa_inspector": "qa",
    "auditor": "auditor",
    "admin": "admin",
    "anonymous": "agent",
}


def issue(w: World, *, done: bool = False) -> int:
    """A root-cause issue of a BJ case, opened by the supervisor; with ``done``, its one action done."""
    made = open_issue(actor=w.actor("sup"), case_id=w.case().pk, title="重复收取年费", root_cause="脚本重复执行",
                      unit_code="BJ", owner="supervisor1", cause_code="C11")
    if done:
        action = add_action(made.pk, actor=w.actor("sup"), title="修复", owner="handler1", due_in_working_days=5)
        complete_action(action.pk, actor=w.actor("handler"), note="已修复", filename="fix.pdf",
                        content_type="application/pdf", stream=io.BytesIO(b"%PDF-1.4 fix"))
    return int(made.pk)


def found(w: World) -> int:
    """An investigated BJ case whose responsibility finding names the teller (the bank's fault)."""
    case = w.case("investigating")
    svc.set_responsibility(
        case.pk, actor=w.actor("handler"), finding="bank", root_cause_code="C01", root_cause_text="服务态度欠佳",
        responsible_unit="BJ01", responsible_staff="teller1", measure="warning",
    )
    return int(case.pk)


def accountability(w: World) -> int:
    """The supervisor's accountability finding on the teller, with one warning ordered."""
    made = record_accountability(found(w), actor=w.actor("sup"), staff="teller1", finding="对老年客户不耐烦",
                                 measures=[MeasureInput(kind="warning", due_in_working_days=5)])
    return int(made.pk)


def measure(w: World) -> int:
    return int(AccountabilityMeasure.objects.get(accountability_id=accountability(w)).pk)


def action(w: World, owner: str) -> int:
    """An action of a root-cause issue, owned by ``owner``."""
    made = open_issue(actor=w.actor("sup"), case_id=w.case().pk, title="重复收取年费", root_cause="脚本重复执行",
                      unit_code="BJ", owner="supervisor1", cause_code="C11")
    return int(add_action(made.pk, actor=w.actor("sup"), title="修复", owner=owner, due_in_working_days=5).pk)


def written() -> tuple[int, ...]:
    """Everything a request could add or change, as counts."""
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.count(),
        CollaborationTask.objects.filter(status="answered").count(),
        FollowUpVisit.objects.filter(status="done").count(),
        Proposal.objects.exclude(status="pending").count(),
        Proposal.objects.count(),
        LibraryEntry.objects.count(),
        Enrolment.objects.exclude(attendance="pending").count(),
    )


def send(client, req: Request, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = f"/api/v1{req.path}"
    if req.method == "GET":
        return client.get(url, headers=headers)
    if req.multipart:
        return client.post(url, req.body, headers=headers)
    return client.post(url, req.body or {}, content_type="application/json", headers=headers)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# --- the tests ------------------------------------------------------------------------------------


def test_every_operation_is_in_the_table():
    ops = schema_operations()
    assert len(ops) > 20
    assert ops == set(TABLE), f"missing from MATRIX: {ops - set(TABLE)}; not in the API: {set(TABLE) - ops}"
    assert ops == set(REQUIRES), f"missing from REQUIRES: {ops - set(REQUIRES)}; stale: {set(REQUIRES) - ops}"
    assert ops == set(SCENARIOS), f"missing from SCENARIOS: {ops - set(SCENARIOS)}; stale: {set(SCENARIOS) - ops}"


def test_matrix_is_role_permissions():
    """The written table is exactly what ROLE_PERMISSIONS grants for each operation's permission."""
    known = set().union(*ROLE_PERMISSIONS.values())
    for op, need in REQUIRES.items():
        named = set(need.replace("|", "+").split("+"))
        assert need in (PUBLIC, STAFF) or named <= known, f"{op}: no role grants '{need}'"
    diff = [
        (op, role, TABLE[op][role])
        for op in TABLE
        for role in [*ROLES, "anonymous"]
        if TABLE[op][role] != allowed_by_role_permissions(op, role)
    ]
    assert diff == [], f"MATRIX disagrees with ROLE_PERMISSIONS at (operation, role, table says): {diff}"
    assert set(ROLES) == {r.value for r in Role} - {"customer"}


CASES = [(op, role) for op in TABLE for role in [*ROLES, "anonymous"]]


@pytest.mark.parametrize(("op", "role"), CASES, ids=[f"{op} as {role}" for op, role in CASES])
def test_matrix(op, role, bank, api_as, client, frozen):
    world = World(bank)
    req = SCENARIOS[op](world, role)
    token = api_as(USERNAME[role]).token if role != "anonymous" else None
    before = written()
    r = send(client, req, token)
    body = r.json()
    allowed = TABLE[op][role]

    if role == "anonymous" and not allowed:
        assert r.status_code == 401, (r.status_code, body)
        assert body["error"]["code"] == "unauthenticated"
        assert written() == before
    elif not allowed:
        assert r.status_code == 403, (r.status_code, body)
        assert body["error"]["code"] == "permission_denied"
        if "{case_id}" in op and not allowed_by_role_permissions("GET /cases/{case_id}", role):
            assert body["error"]["message"] == "you may not read this case"
        assert written() == before, "a refused request wrote something"
    else:
        assert r.status_code == req.success, (r.status_code, body)
        if req.method == "POST":
            assert written() != before, "an accepted action left no trace"
        else:
            assert written() == before


def test_admin_and_collaborator_see_no_case_content(bank, api_as, frozen):
    world = World(bank)
    case = world.case("accepted")
    svc.open_task(case.pk, actor=bank.actor("handler"), department_code="TECH", title="调取日志", request="请提供日志")
    for username in ("admin", "collab1"):
        api = api_as(username)
        assert api.get(f"/cases/{case.pk}").status_code == 403
        assert api.get(f"/cases/{case.pk}/events").status_code == 403
        listed = api.get("/cases").json()
        assert listed == {"count": 0, "count_capped": False, "items": []}, username
        assert api.post(f"/customers/{case.customer_id}/reveal", {"field": "phone", "reason": "x"}).status_code == 403
    # The same case is in a reader's list, so the empty lists above are not for want of cases.
    assert api_as("auditor1").get("/cases").json()["count"] == 1


def test_collaborator_sees_only_its_departments_tasks(bank, api_as, frozen):
    from redressal.org.services import create_staff, create_unit

    ops = create_unit("OPS", "运营管理部", "department", bank.ho)
    create_staff("collab2", PASSWORD, ops, ["collaborator"])
    world = World(bank)
    case = world.case("accepted")
    handler = bank.actor("handler")
    svc.open_task(case.pk, actor=handler, department_code="TECH", title="调取日志", request="请提供日志")
    svc.open_task(case.pk, actor=handler, department_code="OPS", title="核对流水", request="请核对流水")

    tech = api_as("collab1").get("/tasks").json()
    assert [(t["department"], t["title"]) for t in tech] == [("TECH", "调取日志")]
    other = api_as("collab2").get("/tasks").json()
    assert [(t["department"], t["title"]) for t in other] == [("OPS", "核对流水")]

    # A collaborator cannot answer another department's task, nor read the case behind its own.
    ops_task = CollaborationTask.objects.get(department=ops)
    r = api_as("collab1").post(f"/tasks/{ops_task.pk}/reply", {"reply": "不是我们的"})
    assert r.status_code == 403
    assert CollaborationTask.objects.get(pk=ops_task.pk).status == "open"
    assert api_as("collab1").get(f"/cases/{case.pk}").status_code == 403
    # Answered tasks leave the default (open) list but are there on request.
    tech_task = CollaborationTask.objects.get(department__code="TECH")
    assert api_as("collab1").post(f"/tasks/{tech_task.pk}/reply", {"reply": "日志已提供"}).status_code == 200
    assert api_as("collab1").get("/tasks").json() == []
    assert [t["status"] for t in api_as("collab1").get("/tasks", status="answered").json()] == ["answered"]


def test_the_task_list_is_refused_as_on_the_web(bank, api_as, client, frozen):
    """GET /tasks applies the web task list's check (one selector): a compliance officer, who neither
    answers tasks nor opens them, is refused on both rather than given an empty list on one of them."""
    from tests.web.test_shell import login

    case = World(bank).case("accepted")
    svc.open_task(case.pk, actor=bank.actor("handler"), department_code="TECH", title="调取日志", request="请提供日志")
    r = api_as("compliance1").get("/tasks")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    login(client, "compliance1")
    assert client.get("/tasks/").status_code == 403
    # The handler who opened it, and the department it is addressed to, both list it.
    assert [t["title"] for t in api_as("handler1").get("/tasks").json()] == ["调取日志"]
    assert [t["title"] for t in api_as("collab1").get("/tasks").json()] == ["调取日志"]


def test_reveal_is_needed_for_pii_even_with_customer_read(bank, api_as, frozen):
    """customer.read (auditor, compliance, …) shows masked values; only pii.view reveals."""
    case = World(bank).case()
    for username in ("auditor1", "compliance1", "handler1"):
        detail = api_as(username).get(f"/cases/{case.pk}").json()
        assert detail["customer"]["phone"] == "138****5678", username
