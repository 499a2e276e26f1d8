"""Case endpoints: the core contract of SPEC §14, one action endpoint per transition."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from redressal.api.auth import actor_of, issue_token, revoke_token
from redressal.api.schemas import (
    AcceptIn,
    AnswerIn,
    AssignIn,
    AtIn,
    CaseIn,
    CaseOut,
    CasePage,
    Code,
    ConfirmClassificationIn,
    ContactRevealIn,
    CustomerOut,
    DeclineIn,
    EmptyIn,
    Error,
    EscalateIn,
    EventOut,
    ExtendIn,
    FeedbackIn,
    MergeIn,
    NoteIn,
    NotificationOut,
    PauseIn,
    ProposalIn,
    ReasonIn,
    ReopenIn,
    RespondIn,
    ResponsibilityIn,
    RestartIn,
    RevealIn,
    RevealOut,
    ReviewIn,
    TaskIn,
    TaskOut,
    TaskReplyIn,
    TokenIn,
    TokenOut,
    VisitIn,
    When,
    WithdrawIn,
)
from redressal.cases import selectors
from redressal.cases import services as svc
from redressal.cases.contact import reveal_contact_phone
from redressal.cases.models import Case, CollaborationTask
from redressal.cases.selectors_team import task_list
from redressal.core.clock import now
from redressal.core.errors import NotFound, ValidationFailed
from redressal.core.querysets import capped_count
from redressal.customers.services import CustomerInput, reveal_pii
from redressal.customers.services import find_customers as lookup_customers
from redressal.notify.models import StaffNotification
from redressal.org.authz import Actor
from redressal.search.selectors import case_list
from redressal.triage import case_view
from redressal.triage import services as triage_svc

router = Router()

ERRORS: dict[int, type[Schema]] = {s: Error for s in (400, 401, 403, 404, 409, 422)}
CaseId = Annotated[int, Field(ge=1, le=2**62)]


def _detail(actor: Actor, case: Case) -> dict[str, Any]:
    # The case as it is after the actor's own change. Not re-checked for readability: an escalation
    # or a review request may move it out of the actor's scope, and a committed change must not
    # answer 403 (the actor was allowed to read it a moment ago; PII stays masked per actor).
    return case_view.case_detail(svc.get_case(case.pk), actor, now())


@router.post("/auth/revoke", response={200: dict[str, bool], **ERRORS})
def revoke(request: HttpRequest) -> Any:
    """End the bearer token this request was made with (logout for API clients)."""
    revoke_token(request, actor_of(request))
    return {"revoked": True}


@router.post("/auth/token", auth=None, response={200: TokenOut, 429: Error, **ERRORS})
def token(request: HttpRequest, body: TokenIn) -> Any:
    value, row = issue_token(request, body.username, body.password)
    return {"access_token": value, "token_type": "bearer", "expires_at": selectors.iso(row.expires_at)}


@router.post("/cases", response={201: CaseOut, **ERRORS})
def register(request: HttpRequest, body: CaseIn) -> Any:
    actor = actor_of(request)
    data = svc.RegisterInput(
        request_type=body.request_type,
        channel=body.channel,
        description=body.description,
        received_at=body.received_at,
        customer_id=body.customer_id,
        complainant_name=body.complainant_name,
        customer=CustomerInput(**body.customer.dict()) if body.customer else None,
        product=body.product,
        amount=Decimal(body.amount) if body.amount else None,
        demand=list(body.demand),
        unit_code=body.unit,
        respondent_unit_code=body.respondent_unit,
        respondent_staff_username=body.respondent_staff,
        source=body.source,
        regulator=body.regulator,
        regulator_case_number=body.regulator_case_number,
        regulator_received_at=body.regulator_received_at,
        forwarded_at=body.forwarded_at,
    )
    case = svc.register_case(data, actor=actor)
    return Status(201, _detail(actor, case))


LIST_COUNT_CAP = 10_000


@router.get("/cases", response={200: CasePage, **ERRORS})
def list_cases(
    request: HttpRequest,
    status: Code = "",
    assignee: Code = "",
    unit: Code = "",
    priority: Code = "",
    overdue: bool | None = None,
    q: Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")] = "",
    received_from: When | None = None,
    received_to: When | None = None,
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0,
) -> Any:
    actor = actor_of(request)
    listed = partial(
        case_list,
        actor,
        status=status,
        assignee=assignee,
        unit=unit,
        priority=priority,
        overdue=overdue,
        q=q,
        received_from=received_from,
        received_to=received_to,
        now=now(),
    )
    # Counting every match of a broad filter over a million cases costs more than the page itself.
    count, capped = capped_count(listed(counting=True), LIST_COUNT_CAP)
    qs = listed()
    items = [case_view.case_summary(c) for c in qs[offset : offset + limit]]
    return {"count": count, "count_capped": capped, "items": items}


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request: HttpRequest, case_id: CaseId) -> Any:
    actor = actor_of(request)
    return case_view.case_detail(selectors.readable_case(actor, case_id), actor, now())


@router.get("/cases/{case_id}/events", response={200: list[EventOut], **ERRORS})
def case_events(request: HttpRequest, case_id: CaseId) -> Any:
    actor = actor_of(request)
    return selectors.case_events(selectors.readable_case(actor, case_id), actor)


def _act(request: HttpRequest, case_id: int, call: Callable[[Actor], Case]) -> Any:
    actor = actor_of(request)
    selectors.readable_case(actor, case_id)  # 404 before 403 before anything else
    return _detail(actor, call(actor))


@router.post("/cases/{case_id}/accept", response={200: CaseOut, **ERRORS})
def accept(request: HttpRequest, case_id: CaseId, body: AcceptIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.accept_case(
            case_id,
            actor=a,
            contact_channel=body.contact_channel,
            contact_outcome=body.contact_outcome,
            explained=body.explained,
            no_direct_interest=body.no_direct_interest,
            at=body.at,
            expected_version=body.expected_version,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/assign", response={200: CaseOut, **ERRORS})
def assign(request: HttpRequest, case_id: CaseId, body: AssignIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.assign_case(
            case_id, actor=a, assignee=body.assignee, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/cases/{case_id}/start_investigation", response={200: CaseOut, **ERRORS})
def start_investigation(request: HttpRequest, case_id: CaseId, body: EmptyIn) -> Any:
    return _act(
        request, case_id, lambda a: svc.start_investigation(case_id, actor=a, expected_version=body.expected_version)
    )


@router.post("/cases/{case_id}/add_note", response={200: CaseOut, **ERRORS})
def add_note(request: HttpRequest, case_id: CaseId, body: NoteIn) -> Any:
    return _act(request, case_id, lambda a: svc.add_note(case_id, actor=a, text=body.text, kind=body.kind))


@router.post("/cases/{case_id}/add_evidence", response={200: CaseOut, **ERRORS})
def add_evidence(
    request: HttpRequest,
    case_id: CaseId,
    kind: Form[Code],
    file: File[UploadedFile],
    description: Form[Annotated[str, Field(max_length=2000, pattern=r"^[^\x00]*$")]] = "",
) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.add_evidence(
            case_id,
            actor=a,
            kind=kind,
            filename=file.name or "evidence",
            content_type=file.content_type or "application/octet-stream",
            stream=file,
            description=description,
        ),
    )


@router.post("/cases/{case_id}/open_task", response={200: CaseOut, **ERRORS})
def open_task(request: HttpRequest, case_id: CaseId, body: TaskIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.open_task(
            case_id,
            actor=a,
            department_code=body.department,
            title=body.title,
            request=body.request,
            blocking=body.blocking,
        ),
    )


@router.post("/cases/{case_id}/set_responsibility", response={200: CaseOut, **ERRORS})
def set_responsibility(request: HttpRequest, case_id: CaseId, body: ResponsibilityIn) -> Any:
    return _act(request, case_id, lambda a: svc.set_responsibility(case_id, actor=a, **body.dict()))


@router.post("/cases/{case_id}/propose_solution", response={200: CaseOut, **ERRORS})
def propose_solution(request: HttpRequest, case_id: CaseId, body: ProposalIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.propose_solution(
            case_id,
            actor=a,
            solution=body.solution,
            items=[i.dict() for i in body.items],
            expected_version=body.expected_version,
        ),
    )


@router.post("/cases/{case_id}/approve", response={200: CaseOut, **ERRORS})
def approve(request: HttpRequest, case_id: CaseId, body: ReasonIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.approve_proposal(case_id, actor=a, reason=body.reason, expected_version=body.expected_version),
    )


@router.post("/cases/{case_id}/reject", response={200: CaseOut, **ERRORS})
def reject(request: HttpRequest, case_id: CaseId, body: ReasonIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.reject_proposal(case_id, actor=a, reason=body.reason, expected_version=body.expected_version),
    )


@router.post("/cases/{case_id}/respond", response={200: CaseOut, **ERRORS})
def respond(request: HttpRequest, case_id: CaseId, body: RespondIn) -> Any:
    notice = svc.Notice(
        channel=body.notice.channel, content=body.notice.content, routes=list(body.notice.routes), at=body.notice.at
    )
    return _act(
        request,
        case_id,
        lambda a: svc.respond_to_case(
            case_id,
            actor=a,
            outcome=body.outcome,
            reasons=body.reasons,
            basis=body.basis,
            remedy=body.remedy,
            notice=notice,
            expected_version=body.expected_version,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/record_feedback", response={200: CaseOut, **ERRORS})
def record_feedback(request: HttpRequest, case_id: CaseId, body: FeedbackIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.record_feedback(
            case_id,
            actor=a,
            result=body.result,
            csat=body.csat,
            comments=body.comments,
            close_reason=body.close_reason,
            expected_version=body.expected_version,
            at=body.at,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/reopen", response={200: CaseOut, **ERRORS})
def reopen(request: HttpRequest, case_id: CaseId, body: ReopenIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.reopen_case(
            case_id,
            actor=a,
            reason=body.reason,
            new_facts=body.new_facts,
            expected_version=body.expected_version,
            at=body.at,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/extend", response={200: CaseOut, **ERRORS})
def extend(request: HttpRequest, case_id: CaseId, body: ExtendIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.extend_deadline(
            case_id,
            actor=a,
            level=body.level,
            reason=body.reason,
            justification=body.justification,
            customer_notified=body.customer_notified,
            at=body.at,
            expected_version=body.expected_version,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/pause", response={200: CaseOut, **ERRORS})
def pause(request: HttpRequest, case_id: CaseId, body: PauseIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.pause_clock(
            case_id,
            actor=a,
            reason=body.reason,
            external_party=body.external_party,
            evidence=body.evidence,
            at=body.at,
            expected_version=body.expected_version,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/resume", response={200: CaseOut, **ERRORS})
def resume(request: HttpRequest, case_id: CaseId, body: AtIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.resume_clock(
            case_id, actor=a, at=body.at, expected_version=body.expected_version, backdate_reason=body.backdate_reason
        ),
    )


@router.post("/cases/{case_id}/restart_clock", response={200: CaseOut, **ERRORS})
def restart(request: HttpRequest, case_id: CaseId, body: RestartIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.restart_clock(
            case_id,
            actor=a,
            reason=body.reason,
            at=body.at,
            expected_version=body.expected_version,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/withdraw", response={200: CaseOut, **ERRORS})
def withdraw(request: HttpRequest, case_id: CaseId, body: WithdrawIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.withdraw_case(
            case_id,
            actor=a,
            reason=body.reason,
            at=body.at,
            expected_version=body.expected_version,
            backdate_reason=body.backdate_reason,
        ),
    )


@router.post("/cases/{case_id}/decline", response={200: CaseOut, **ERRORS})
def decline(request: HttpRequest, case_id: CaseId, body: DeclineIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.decline_case(
            case_id, actor=a, reason_code=body.reason_code, notice=body.notice, expected_version=body.expected_version
        ),
    )


@router.post("/cases/{case_id}/merge", response={200: CaseOut, **ERRORS})
def merge(request: HttpRequest, case_id: CaseId, body: MergeIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.merge_case(
            case_id, actor=a, into_case_number=body.into, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/cases/{case_id}/escalate", response={200: CaseOut, **ERRORS})
def escalate(request: HttpRequest, case_id: CaseId, body: EscalateIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.escalate_case(
            case_id, actor=a, to_unit_code=body.to_unit, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/cases/{case_id}/request_review", response={201: CaseOut, **ERRORS})
def request_review(request: HttpRequest, case_id: CaseId, body: ReviewIn) -> Any:
    actor = actor_of(request)
    selectors.readable_case(actor, case_id)
    review = svc.request_review(
        case_id, actor=actor, reason=body.reason, received_at=body.received_at, override=body.override
    )
    return Status(201, _detail(actor, review))


@router.post("/cases/{case_id}/answer", response={200: CaseOut, **ERRORS})
def answer(request: HttpRequest, case_id: CaseId, body: AnswerIn) -> Any:
    return _act(
        request,
        case_id,
        lambda a: svc.answer_case(
            case_id, actor=a, answer=body.answer, at=body.at, backdate_reason=body.backdate_reason
        ),
    )


@router.post("/cases/{case_id}/confirm_classification", response={200: CaseOut, **ERRORS})
def confirm_classification(request: HttpRequest, case_id: CaseId, body: ConfirmClassificationIn) -> Any:
    """Confirm a suggested classification, or correct it with another code from the code tables."""
    return _act(
        request,
        case_id,
        lambda a: triage_svc.confirm_classification(
            case_id,
            actor=a,
            axis=body.axis,
            code=body.code,
            at=body.at,
            expected_version=body.expected_version,
            backdate_reason=body.backdate_reason,
        ),
    )


def _task_out(t: CollaborationTask, actor: Actor) -> dict[str, Any]:
    clear = selectors.pii_clear(actor, t.case)
    return {
        "id": t.pk,
        "case_number": t.case.case_number,
        "department": t.department.code,
        "title": t.title,
        "request": selectors.free_text(t.request, clear),
        "blocking": t.blocking,
        "status": t.status,
        "due_at": selectors.iso(t.due_at),
        "reply": selectors.free_text(t.reply, clear),
    }


@router.get("/tasks", response={200: list[TaskOut], **ERRORS})
def list_tasks(request: HttpRequest, status: Code = "open") -> Any:
    # The web's task list: a collaborator's department tasks, a handler's tasks of the cases they may read.
    actor = actor_of(request)
    return [_task_out(t, actor) for t in task_list(actor, status=status)]


@router.post("/tasks/{task_id}/reply", response={200: TaskOut, **ERRORS})
def reply_task(request: HttpRequest, task_id: CaseId, body: TaskReplyIn) -> Any:
    actor = actor_of(request)
    task = svc.reply_task(task_id, actor=actor, reply=body.reply)
    fresh = CollaborationTask.objects.select_related("case", "case__unit", "department").get(pk=task.pk)
    return _task_out(fresh, actor)


@router.post("/visits/{visit_id}/record", response={200: dict[str, Any], **ERRORS})
def record_visit(request: HttpRequest, visit_id: CaseId, body: VisitIn) -> Any:
    visit = svc.record_visit(
        visit_id,
        actor=actor_of(request),
        channel=body.channel,
        reached=body.reached,
        satisfaction=body.satisfaction,
        comments=body.comments,
    )
    return {"id": visit.pk, "status": visit.status}


@router.get("/customers", response={200: list[CustomerOut], **ERRORS})
def find_customers(
    request: HttpRequest,
    phone: Annotated[str, Field(max_length=20, pattern=r"^[0-9+\- ]*$")] = "",
    id_number: Annotated[str, Field(max_length=30, pattern=r"^[0-9A-Za-z]*$")] = "",
    card_tail: Annotated[str, Field(max_length=4, pattern=r"^([0-9]{4})?$")] = "",
) -> Any:
    """Exact look-up through the blind index (phone, ID number) or the last four card digits, among the
    customers the caller may find (``customers.scope``)."""
    actor = actor_of(request)
    actor.require("customer.read")
    if not (phone or id_number or card_tail):
        raise ValidationFailed("required", "give phone, id_number or card_tail", field="phone")
    found = lookup_customers(actor=actor, phone=phone, id_number=id_number, card_tail=card_tail)
    return [selectors.customer_summary(c, actor) for c in found]


@router.post("/customers/{customer_id}/reveal", response={200: RevealOut, **ERRORS})
def reveal(request: HttpRequest, customer_id: CaseId, body: RevealIn) -> Any:
    value = reveal_pii(customer_id, body.field, actor=actor_of(request), reason=body.reason)
    return {"field": body.field, "value": value}


@router.post("/cases/{case_id}/reveal_contact", response={200: RevealOut, **ERRORS})
def reveal_contact(request: HttpRequest, case_id: CaseId, body: ContactRevealIn) -> Any:
    """The complainant's phone in clear for the case's assignee and team, with a reason; audited."""
    value = reveal_contact_phone(case_id, actor=actor_of(request), reason=body.reason)
    return {"field": "phone", "value": value}


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
def notifications(request: HttpRequest, unread: bool = False) -> Any:
    actor = actor_of(request)
    qs = StaffNotification.objects.filter(recipient_id=actor.id).order_by("-created_at")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "message": n.message,
            "created_at": selectors.iso(n.created_at),
            "read": n.read_at is not None,
        }
        for n in qs[:100]
    ]


_unused = (Query, NotFound, ValidationFailed)
