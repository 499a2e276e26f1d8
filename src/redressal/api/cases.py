"""Case endpoints: the core contract of SPEC §14, one action endpoint per transition."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from redressal.api.auth import actor_of, issue_token, revoke_token
from redressal.api.commands import command_of, described, schema_of
from redressal.api.schemas import (
    CaseIn,
    CaseOut,
    CasePage,
    Code,
    ContactRevealIn,
    CustomerOut,
    Error,
    EventOut,
    NotificationOut,
    RevealIn,
    RevealOut,
    ReviewIn,
    TaskOut,
    TaskReplyIn,
    TokenIn,
    TokenOut,
    VisitIn,
    When,
)
from redressal.cases import commands as c
from redressal.cases import selectors
from redressal.cases import services as svc
from redressal.cases.commands import (
    Accept,
    Command,
    Decline,
    Item,
    NoticeBody,
    ProposeSolution,
    Respond,
    SetResponsibility,
    execute,
)
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
from redressal.triage.commands import ConfirmClassification

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
        answer=body.answer,
    )
    case = svc.register_case(data, actor=actor)
    # The registered case as the command left it (its unit, customer and assignee already loaded): read
    # again it would be the same row.
    return Status(201, case_view.case_detail(case, actor, now()))


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


def _act(request: HttpRequest, case_id: int, command: Command) -> Any:
    actor = actor_of(request)
    selectors.readable_case(actor, case_id)  # 404 before 403 before anything else
    return _detail(actor, execute(case_id, command, actor))


# Each action endpoint: (path, command, its body schema's OpenAPI name, fields the API does not take).
ACTIONS: tuple[tuple[str, type[Command], str, tuple[str, ...]], ...] = (
    ("accept", Accept, "AcceptIn", ()),
    ("assign", c.Assign, "AssignIn", ()),
    ("start_investigation", c.StartInvestigation, "EmptyIn", ()),
    ("add_note", c.AddNote, "NoteIn", ("expected_version",)),
    ("open_task", c.OpenTask, "TaskIn", ("expected_version",)),
    ("set_responsibility", SetResponsibility, "ResponsibilityIn", ("expected_version",)),
    ("propose_solution", ProposeSolution, "ProposalIn", ()),
    ("approve", c.Approve, "ApproveIn", ()),
    ("reject", c.Reject, "RejectIn", ()),
    ("respond", Respond, "RespondIn", ()),
    ("record_feedback", c.RecordFeedback, "FeedbackIn", ()),
    ("reopen", c.Reopen, "ReopenIn", ()),
    ("extend", c.Extend, "ExtendIn", ()),
    ("pause", c.Pause, "PauseIn", ()),
    ("resume", c.Resume, "AtIn", ()),
    ("restart_clock", c.RestartClock, "RestartIn", ()),
    ("withdraw", c.Withdraw, "WithdrawIn", ()),
    ("decline", Decline, "DeclineIn", ()),
    ("merge", c.Merge, "MergeIn", ()),
    ("escalate", c.Escalate, "EscalateIn", ()),
    ("answer", c.Answer, "AnswerIn", ("expected_version",)),
    ("confirm_classification", ConfirmClassification, "ConfirmClassificationIn", ()),
)
NESTED_NAMES: dict[type, str] = {NoticeBody: "NoticeIn", Item: "ItemIn"}  # as the OpenAPI names them


def _action_endpoint(path: str, declaration: type[Command], name: str, omit: tuple[str, ...]) -> None:
    body_schema = schema_of(declaration, {**NESTED_NAMES, declaration: name}, omit)

    def endpoint(request: HttpRequest, case_id: int, body: Any) -> Any:
        return _act(request, case_id, command_of(declaration, body))

    # The operationId as it was when each endpoint was written by hand.
    endpoint.__name__ = endpoint.__qualname__ = {"restart_clock": "restart"}.get(path, path)
    endpoint.__doc__ = described(declaration)
    endpoint.__annotations__ = {"request": HttpRequest, "case_id": CaseId, "body": body_schema, "return": Any}
    router.post(f"/cases/{{case_id}}/{path}", response={200: CaseOut, **ERRORS})(endpoint)


for _action in ACTIONS:
    _action_endpoint(*_action)


@router.post("/cases/{case_id}/add_evidence", response={200: CaseOut, **ERRORS})
def add_evidence(
    request: HttpRequest,
    case_id: CaseId,
    kind: Form[Code],
    file: File[UploadedFile],
    description: Form[Annotated[str, Field(max_length=2000, pattern=r"^[^\x00]*$")]] = "",
) -> Any:
    # Multipart, not JSON: the command is built from the form parts and the file.
    return _act(request, case_id, c.AddEvidence(kind=kind, file=c.Upload.of(file), description=description))


@router.post("/cases/{case_id}/request_review", response={201: CaseOut, **ERRORS})
def request_review(request: HttpRequest, case_id: CaseId, body: ReviewIn) -> Any:
    actor = actor_of(request)
    selectors.readable_case(actor, case_id)
    review = svc.request_review(
        case_id, actor=actor, reason=body.reason, received_at=body.received_at, override=body.override
    )
    return Status(201, _detail(actor, review))


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
