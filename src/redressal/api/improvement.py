"""Root-cause issues, improvement actions and accountability (SPEC §12, §14) under /api/v1/improvement.
The same services as the workbench: every permission and scope check is theirs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from redressal.api.auth import actor_of
from redressal.api.schemas import Code, Error, In, Short, Text
from redressal.cases.selectors import iso
from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ValidationFailed
from redressal.improvement import selectors
from redressal.improvement.access import readable_issue
from redressal.improvement.models import AccountabilityMeasure, RootCauseIssue
from redressal.improvement.services import (
    Criterion,
    MeasureInput,
    add_action,
    add_measure,
    cancel_measure,
    carry_out_measure,
    close_issue,
    complete_action,
    open_issue,
    record_accountability,
)
from redressal.org.models import Staff

router = Router(tags=["improvement"])

ERRORS: dict[int, type[Schema]] = {s: Error for s in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Field(ge=1, le=2**62)]


class CriterionIn(In):
    cause: Code
    business: Code = ""
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    unit: Code


class IssueIn(In):
    title: Short
    root_cause: Text
    unit: Code
    owner: Code
    cause_code: Code = ""
    business_code: Code = ""
    case_id: Id | None = None
    mass_incident_id: Id | None = None
    criterion: CriterionIn | None = None


class ActionIn(In):
    title: Short
    owner: Code
    description: Text = ""
    due_in_working_days: Annotated[int, Field(ge=1, le=250)] | None = None
    due_date: date | None = None


class CloseIn(In):
    note: Text


class IssueRow(Schema):
    id: int
    title: str
    state: str
    unit: str
    owner: str
    cause_code: str
    opened_at: str | None
    closed_at: str | None


class IssuePage(Schema):
    count: int
    items: list[IssueRow]


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_date: str
    state: str
    finished_at: str | None
    evidence_sha256: str


class EffectOut(Schema):
    cause: str
    before_count: int
    after_count: int | None
    before_rate: float | None
    after_rate: float | None
    change_pct: float | None
    months: list[dict[str, Any]]


class IssueOut(IssueRow):
    root_cause: str
    source: str
    cases: list[str]
    hidden_cases: int
    actions: list[ActionOut]
    effect: EffectOut | None


class MeasureOut(Schema):
    id: int
    kind: str
    due_date: str
    state: str
    done_at: str | None
    training_ref: str


class AccountabilityOut(Schema):
    id: int
    case_number: str
    staff: str
    finding: str
    measures: list[MeasureOut]


def _row(i: RootCauseIssue) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "state": i.state,
        "unit": i.unit.code,
        "owner": i.owner.username,
        "cause_code": i.cause_code,
        "opened_at": iso(i.opened_at),
        "closed_at": iso(i.closed_at),
    }


def _issue(request: HttpRequest, issue: RootCauseIssue) -> dict[str, Any]:
    actor = actor_of(request)
    linked = selectors.linked_cases(actor, issue)
    effect = selectors.issue_effect(issue, now())
    return {
        **_row(issue),
        "root_cause": issue.root_cause,
        "source": issue.source,
        "cases": [c.case_number for c in linked.rows],
        "hidden_cases": linked.hidden,
        "actions": [
            {
                "id": a.pk,
                "title": a.title,
                "owner": a.owner.username,
                "due_date": a.due_date.isoformat(),
                "state": a.state,
                "finished_at": iso(a.finished_at),
                "evidence_sha256": a.evidence_sha256,
            }
            for a in selectors.actions(issue)
        ],
        "effect": None
        if effect is None
        else {
            "cause": effect.cause,
            "before_count": effect.before_count,
            "after_count": effect.after_count,
            "before_rate": effect.before_rate,
            "after_rate": effect.after_rate,
            "change_pct": effect.change_pct,
            "months": effect.months,
        },
    }


@router.get("/improvement/issues", response={200: IssuePage, **ERRORS})
def list_issues(request: HttpRequest, mine: bool = False, state: str = "") -> Any:
    """The issues in the caller's units, and those they own or hold an action of (empty for others)."""
    rows = selectors.issue_list(
        actor_of(request), mine=mine, state=state if state in ("open", "in_progress", "closed") else ""
    )
    return {"count": len(rows), "items": [_row(i) for i in rows]}


@router.post("/improvement/issues", response={201: IssueOut, **ERRORS})
def create_issue(request: HttpRequest, body: IssueIn) -> Any:
    """From one case (``case_id``), a mass incident (``mass_incident_id``) or a report cell (``criterion``)."""
    c = body.criterion
    issue = open_issue(
        actor=actor_of(request),
        title=body.title,
        root_cause=body.root_cause,
        unit_code=body.unit,
        owner=body.owner,
        cause_code=body.cause_code,
        business_code=body.business_code,
        case_id=body.case_id,
        mass_incident_id=body.mass_incident_id,
        criterion=Criterion(cause=c.cause, business=c.business, start=c.date_from, end=c.date_to, unit_code=c.unit)
        if c is not None
        else None,
    )
    return Status(201, _issue(request, issue))


@router.get("/improvement/issues/{issue_id}", response={200: IssueOut, **ERRORS})
def get_issue(request: HttpRequest, issue_id: Id) -> Any:
    """The issue, the linked cases the caller may read (the rest only counted), actions and effect."""
    return _issue(request, readable_issue(actor_of(request), issue_id))


@router.post("/improvement/issues/{issue_id}/actions", response={201: ActionOut, **ERRORS})
def create_action(request: HttpRequest, issue_id: Id, body: ActionIn) -> Any:
    a = add_action(
        issue_id,
        actor=actor_of(request),
        title=body.title,
        owner=body.owner,
        description=body.description,
        due_in_working_days=body.due_in_working_days,
        due_date=body.due_date,
    )
    return 201, {
        "id": a.pk,
        "title": a.title,
        "owner": a.owner.username,
        "due_date": a.due_date.isoformat(),
        "state": a.state,
        "finished_at": None,
        "evidence_sha256": "",
    }


@router.post("/improvement/issues/{issue_id}/close", response={200: IssueOut, **ERRORS})
def close(request: HttpRequest, issue_id: Id, body: CloseIn) -> Any:
    """409 ``issue.actions_open`` while an action is neither done nor cancelled."""
    return _issue(request, close_issue(issue_id, actor=actor_of(request), note=body.note))


@router.get("/improvement/staff/{username}/accountability", response={200: list[AccountabilityOut], **ERRORS})
def staff_accountability(request: HttpRequest, username: Code) -> Any:
    """A member of staff's findings: for them, their reporting line and ``accountability.read`` over their unit."""
    staff = Staff.objects.select_related("unit").filter(username=username).first()
    if staff is None:
        raise NotFound("not_found", f"no staff '{username}'", field="username")
    rows = selectors.accountability_for_staff(actor_of(request), staff)
    if rows is None:
        raise PermissionDenied("permission_denied", "you may not see this person's accountability record")
    return [
        {
            "id": a.pk,
            "case_number": a.case.case_number,
            "staff": staff.username,
            "finding": a.finding,
            "measures": [
                {
                    "id": m.pk,
                    "kind": m.kind,
                    "due_date": m.due_date.isoformat(),
                    "state": m.state,
                    "done_at": iso(m.done_at),
                    "training_ref": m.training_ref,
                }
                for m in a.measures.all()
            ],
        }
        for a in rows
    ]


# --- writes of accountability (问责) and the completion of an improvement action -------------------------
# The same services as the workbench's forms: permission, scope and "never on oneself" are theirs.


class MeasureIn(In):
    kind: Code
    description: Text = ""
    due_in_working_days: Annotated[int, Field(ge=1, le=250)] | None = None
    due_date: date | None = None


class AccountabilityIn(In):
    case_id: Id
    staff: Code
    finding: Text
    measures: Annotated[list[MeasureIn], Field(min_length=1, max_length=5)]


class MeasureDoneIn(In):
    evidence_note: Text
    training_ref: Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")] = ""


class MeasureCancelIn(In):
    reason: Text


def _measure(m: AccountabilityMeasure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "due_date": m.due_date.isoformat(),
        "state": m.state,
        "done_at": iso(m.done_at),
        "training_ref": m.training_ref,
    }


def _measure_input(m: MeasureIn) -> MeasureInput:
    return MeasureInput(
        kind=m.kind, description=m.description, due_in_working_days=m.due_in_working_days, due_date=m.due_date
    )


@router.post("/improvement/accountability", response={201: AccountabilityOut, **ERRORS})
def create_accountability(request: HttpRequest, body: AccountabilityIn) -> Any:
    """Name a member of staff of the case's units as accountable, with the measures ordered on them
    (``accountability.manage`` over the case's unit; after the case's responsibility finding; never oneself)."""
    acc = record_accountability(
        body.case_id,
        actor=actor_of(request),
        staff=body.staff,
        finding=body.finding,
        measures=[_measure_input(m) for m in body.measures],
    )
    return Status(
        201,
        {
            "id": acc.pk,
            "case_number": acc.case.case_number,
            "staff": acc.staff.username,
            "finding": acc.finding,
            "measures": [_measure(m) for m in acc.measures.order_by("pk")],
        },
    )


@router.post("/improvement/accountability/{accountability_id}/measures", response={201: MeasureOut, **ERRORS})
def create_measure(request: HttpRequest, accountability_id: Id, body: MeasureIn) -> Any:
    return Status(201, _measure(add_measure(accountability_id, actor=actor_of(request), measure=_measure_input(body))))


@router.post("/improvement/measures/{measure_id}/done", response={200: MeasureOut, **ERRORS})
def measure_done(request: HttpRequest, measure_id: Id, body: MeasureDoneIn) -> Any:
    """Carried out, with how; 409 once carried out or withdrawn."""
    row = carry_out_measure(
        measure_id, actor=actor_of(request), evidence_note=body.evidence_note, training_ref=body.training_ref
    )
    return _measure(row)


@router.post("/improvement/measures/{measure_id}/cancel", response={200: MeasureOut, **ERRORS})
def measure_cancel(request: HttpRequest, measure_id: Id, body: MeasureCancelIn) -> Any:
    return _measure(cancel_measure(measure_id, actor=actor_of(request), reason=body.reason))


@router.post("/improvement/actions/{action_id}/complete", response={200: ActionOut, **ERRORS})
def action_complete(
    request: HttpRequest,
    action_id: Id,
    note: Form[Annotated[str, Field(min_length=1, max_length=4000, pattern=r"^[^\x00]*$")]],
    file: File[UploadedFile],
) -> Any:
    """By the action's owner only (403 ``action.not_owner``), with the evidence file (multipart: ``note``,
    ``file``; type-sniffed, size-limited, hashed)."""
    if file.file is None:
        raise ValidationFailed("required", "attach the evidence", field="file")
    a = complete_action(
        action_id,
        actor=actor_of(request),
        note=note,
        filename=file.name or "evidence",
        content_type=file.content_type or "application/octet-stream",
        stream=file.file,
    )
    return {
        "id": a.pk,
        "title": a.title,
        "owner": a.owner.username,
        "due_date": a.due_date.isoformat(),
        "state": a.state,
        "finished_at": iso(a.finished_at),
        "evidence_sha256": a.evidence_sha256,
    }
