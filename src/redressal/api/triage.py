"""Mass-incident endpoints (SPEC §6, §14): the incidents a person may see, and one decision sent to
every open case of an incident. Who may: ``triage.page_selectors`` (``case.review`` to see; also
``case.respond`` to answer, which each case's ``respond`` checks again)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from redressal.api.auth import actor_of
from redressal.api.commands import NoticeIn
from redressal.api.schemas import Error, In, Text
from redressal.cases.services import Notice
from redressal.core.errors import Conflict, PermissionDenied
from redressal.triage.models import MassIncident
from redressal.triage.page_selectors import INCIDENT_RESPOND, incident_for, incident_list, may_bulk_respond
from redressal.triage.services import bulk_respond

router = Router(tags=["mass incidents"])

ERRORS: dict[int, type[Schema]] = {s: Error for s in (400, 401, 403, 404, 409, 422)}
IncidentId = Annotated[int, Field(ge=1, le=2**62)]


class MassIncidentOut(Schema):
    id: int
    key: str
    dimension: Literal["product", "cause", "channel", "text"]
    value: str
    status: Literal["open", "closed"]
    unit: str
    detected_at: str
    window_start: str
    window_end: str
    expected: float
    case_count: int
    customer_count: int


class MassIncidentPage(Schema):
    count: int
    items: list[MassIncidentOut]


class BulkRespondIn(In):
    outcome: Literal["upheld", "partly_upheld", "not_upheld", "settled"]
    reasons: Text
    basis: Text
    remedy: Text = ""
    notice: NoticeIn  # type: ignore[valid-type]
    backdate_reason: Text = ""  # required when notice.at is more than one working day ago


class BulkFailureOut(Schema):
    case_number: str
    code: str
    message: str


class BulkRespondOut(Schema):
    incident_id: int
    responded: list[str]
    failed: list[BulkFailureOut]


@router.get("/mass_incidents", response={200: MassIncidentPage, **ERRORS})
def list_incidents(
    request: HttpRequest,
    status: Literal["", "open", "closed"] = "",
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Newest first: the incidents whose unit, or one of whose cases' units, is in the caller's scope."""
    total, rows = incident_list(actor_of(request), status=status, limit=limit, offset=offset)
    return {"count": total, "items": [r.as_dict() for r in rows]}


@router.post("/mass_incidents/{incident_id}/bulk_respond", response={200: BulkRespondOut, **ERRORS})
def bulk_respond_incident(request: HttpRequest, incident_id: IncidentId, body: BulkRespondIn) -> Any:
    """One decision for every open case of the incident; each case is answered through its own
    ``respond`` (own checks, own transaction) and the ones that cannot be answered are listed."""
    actor = actor_of(request)
    incident = incident_for(actor, incident_id)  # 403 without case.review, 404, 403 out of scope
    if not may_bulk_respond(actor):
        raise PermissionDenied("permission_denied", f"missing permission '{INCIDENT_RESPOND}'")
    if incident.status != MassIncident.Status.OPEN:
        raise Conflict("incident_closed", f"mass incident {incident_id} is closed", field="incident_id")
    n: Any = body.notice  # a NoticeIn, derived from the NoticeBody declaration
    result = bulk_respond(
        incident.id,
        actor=actor,
        outcome=body.outcome,
        reasons=body.reasons,
        basis=body.basis,
        remedy=body.remedy,
        notice=Notice(channel=n.channel, content=n.content, routes=list(n.routes), at=n.at),
        backdate_reason=body.backdate_reason,
    )
    failed = []
    for number, text in sorted(result.failed.items()):
        code, _sep, message = text.partition(": ")
        failed.append({"case_number": number, "code": code, "message": message or code})
    return {"incident_id": incident.id, "responded": sorted(result.responded), "failed": failed}
