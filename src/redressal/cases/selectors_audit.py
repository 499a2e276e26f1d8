"""Audit search (SPEC §13): who did what, when — over case events and the other audit events.

It lives with the cases, not in ``redressal.audit``: it reads the case events beside the audit events,
and the audit app sits below the cases (ARCHITECTURE §2). Both tables are read newest first and merged;
paging is keyset on (at, source, id), so page N costs the same as page 1 and nothing counts the whole log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from redressal.audit.models import AuditEvent
from redressal.cases.models import Case, CaseEvent
from redressal.cases.services.events import verify_case_chain
from redressal.cases.services.projection import mismatched_parts
from redressal.core.errors import NotFound, PermissionDenied, ValidationFailed
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.org.selectors import scope_unit_ids

SOURCES = ("case", "system")
E = TypeVar("E", CaseEvent, AuditEvent)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class AuditRow:
    source: str  # "case" (CaseEvent) or "system" (AuditEvent)
    id: int
    at: datetime
    type: str
    actor: str
    role: str
    object_type: str
    object_ref: str
    case_id: int | None
    reason: str
    payload: dict[str, Any]

    @property
    def cursor(self) -> str:
        return f"{(self.at - EPOCH) // timedelta(microseconds=1)}_{self.source}_{self.id}"


@dataclass(frozen=True)
class AuditQuery:
    actor: str = ""
    type: str = ""
    object_ref: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None
    source: str = ""


def parse_cursor(cursor: str) -> tuple[datetime, str, int] | None:
    if not cursor:
        return None
    try:
        micros, source, pk = cursor.split("_")
        if source not in SOURCES:
            raise ValueError(source)
        return EPOCH + timedelta(microseconds=int(micros)), source, int(pk)
    except (ValueError, OverflowError, OSError):
        raise ValidationFailed("invalid_cursor", "the page marker is not valid", field="after") from None


def _keyset(cursor: tuple[datetime, str, int] | None, source: str) -> Q:
    # Order: at desc, source desc ("system" > "case"), id desc.
    if cursor is None:
        return Q()
    at, csource, cid = cursor
    if source == csource:
        return Q(at__lt=at) | Q(at=at, pk__lt=cid)
    if source < csource:  # this source sorts after the cursor's at the same moment
        return Q(at__lte=at)
    return Q(at__lt=at)


def require_auditor(actor: Actor) -> None:
    actor.require("audit.read")


def search(actor: Actor, query: AuditQuery, *, after: str = "", limit: int = 50) -> tuple[list[AuditRow], str]:
    """One page of matching events and the cursor of the next page ("" when this is the last)."""
    require_auditor(actor)
    cursor = parse_cursor(after)
    staff_id: int | None = None
    if query.actor:
        staff_id = Staff.objects.filter(username=query.actor).values_list("pk", flat=True).first()
        if staff_id is None:
            return [], ""
    rows: list[AuditRow] = []
    if query.source in ("", "case"):
        rows += _case_rows(query, staff_id, cursor, limit + 1)
    if query.source in ("", "system"):
        rows += _system_rows(query, staff_id, cursor, limit + 1)
    rows.sort(key=lambda r: (r.at, r.source, r.id), reverse=True)
    page = rows[:limit]
    return page, (page[-1].cursor if len(rows) > limit else "")


def _filtered(
    qs: QuerySet[E], source: str, query: AuditQuery, staff_id: int | None, cursor: tuple[datetime, str, int] | None
) -> QuerySet[E]:
    """The page position and the filters both sources share (actor, type, date range)."""
    qs = qs.filter(_keyset(cursor, source))
    if staff_id is not None:
        qs = qs.filter(actor_id=staff_id)
    if query.type:
        qs = qs.filter(type=query.type)
    if query.date_from:
        qs = qs.filter(at__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(at__lt=query.date_to)
    return qs


def _case_rows(
    query: AuditQuery, staff_id: int | None, cursor: tuple[datetime, str, int] | None, limit: int
) -> list[AuditRow]:
    qs = _filtered(CaseEvent.objects.all(), "case", query, staff_id, cursor)
    if query.object_ref:
        case_id = Case.objects.filter(case_number=query.object_ref).values_list("pk", flat=True).first()
        if case_id is None:
            return []
        qs = qs.filter(case_id=case_id)
    return [
        AuditRow("case", e.pk, e.at, e.type, e.actor.username if e.actor else "", e.actor_role, "case",
                 e.case.case_number, e.case_id, e.reason, e.payload)
        for e in qs.select_related("actor", "case").only(
            "pk", "at", "type", "actor__username", "actor_role", "case__case_number", "case_id", "reason", "payload"
        ).order_by("-at", "-pk")[:limit]
    ]


def _system_rows(
    query: AuditQuery, staff_id: int | None, cursor: tuple[datetime, str, int] | None, limit: int
) -> list[AuditRow]:
    qs = _filtered(AuditEvent.objects.all(), "system", query, staff_id, cursor)
    if query.object_ref:
        qs = qs.filter(object_id=query.object_ref)
    return [
        AuditRow("system", e.pk, e.at, e.type, e.actor.username if e.actor else "", e.actor_role, e.object_type,
                 e.object_id, None, e.reason, e.payload)
        for e in qs.select_related("actor").order_by("-at", "-pk")[:limit]
    ]


def case_trail(
    actor: Actor, case_id: int
) -> tuple[Case, list[CaseEvent], list[AuditEvent], Any, list[str]]:
    """Every event of one case with its payload, the audit events naming it, the chain check, and the
    parts of the case row that do not match its events (``redressal audit-verify``'s row check)."""
    require_auditor(actor)
    case = Case.objects.select_related("unit").filter(pk=case_id).first()
    if case is None:
        raise NotFound("not_found", f"case {case_id} not found", field="case_id")
    if not actor.has("audit.read", case.unit) and not actor.has("case.read", case.unit):
        raise PermissionDenied("permission_denied", "this case is outside your audit scope")
    events = list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("seq"))
    others = list(
        AuditEvent.objects.filter(object_type="case", object_id=case.case_number)
        .select_related("actor")
        .order_by("seq")
    )
    return case, events, others, verify_case_chain(case, events), mismatched_parts(case, events)


@dataclass(frozen=True)
class BackdatedRow:
    """One action recorded more than a working day after it happened (补录, SPEC §14)."""

    case_id: int
    case_number: str
    action: str  # the event type
    at: datetime
    recorded_at: datetime
    actor: str
    role: str
    reason: str
    actor_name: str  # what a person reads: the display name, not the login


def backdated_actions(actor: Actor, *, limit: int = 200) -> list[BackdatedRow]:
    """The backdated case actions, newest recording first, for compliance and internal audit.

    Late recording is allowed (the rules judge ``at``), never silent: every such event carries the
    reason it was given, and this list shows them all — within the reader's audit scope.
    """
    require_auditor(actor)
    qs = (
        CaseEvent.objects.filter(case__unit_id__in=scope_unit_ids(actor, "audit.read"), backdated=True)
        .select_related("actor", "case")
        .only(
            "pk", "type", "at", "recorded_at", "actor_role", "payload",
            "actor__username", "actor__display_name", "case__case_number",
        )
        .order_by("-recorded_at", "-pk")[:limit]
    )
    return [
        BackdatedRow(
            e.case_id, e.case.case_number, e.type, e.at, e.recorded_at,
            e.actor.username if e.actor else "", e.actor_role, str(e.payload.get("backdate_reason", "")),
            str(e.actor) if e.actor else "",
        )
        for e in qs
    ]
