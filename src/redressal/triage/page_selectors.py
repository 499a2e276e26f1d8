"""Reads behind the triage screens (SPEC §6): the mass incidents a person may see, their cases, and a
case's duplicate candidates with the ids the pages link to. Shared by the workbench and the API.

Who sees mass incidents: the alert goes to the supervisors of the units involved and to compliance
(``services.mass._alert``); they, and their superiors, hold ``case.review``, which handlers, agents,
QA and audit do not. An incident is in a person's scope when its own unit is, or any of its cases'
units is (an incident spanning two branches is each branch supervisor's business). Answering all its
cases at once also needs ``case.respond``, which ``respond_to_case`` checks again for each case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from redressal.cases.models import Case
from redressal.cases.selectors import visible_cases
from redressal.core.errors import NotFound, PermissionDenied
from redressal.domain.lifecycle import OPEN_STATES
from redressal.org.authz import Actor
from redressal.org.selectors import scope_unit_ids
from redressal.triage.models import DuplicateCandidate, MassIncident, MassIncidentCase

INCIDENT_READ = "case.review"
INCIDENT_RESPOND = "case.respond"
OPEN = [s.value for s in OPEN_STATES]
LIST_LIMIT = 200
CASES_LIMIT = 500


def may_see_incidents(actor: Actor) -> bool:
    return bool(actor.scope_paths(INCIDENT_READ))


def may_bulk_respond(actor: Actor) -> bool:
    return may_see_incidents(actor) and bool(actor.scope_paths(INCIDENT_RESPOND))


def _require_reader(actor: Actor) -> None:
    if not may_see_incidents(actor):
        raise PermissionDenied("permission_denied", f"missing permission '{INCIDENT_READ}'")


def visible_incidents(actor: Actor) -> QuerySet[MassIncident]:
    """The incidents in the actor's scope (an empty set without ``case.review``)."""
    units = scope_unit_ids(actor, INCIDENT_READ)
    if not units:
        return MassIncident.objects.none()
    via_cases = MassIncidentCase.objects.filter(case__unit_id__in=units).values("incident_id")
    return MassIncident.objects.filter(Q(unit_id__in=units) | Q(pk__in=via_cases))


@dataclass(frozen=True)
class IncidentRow:
    id: int
    key: str
    dimension: str
    value: str
    status: str
    unit_code: str
    unit_name: str
    detected_at: datetime
    window_start: datetime
    window_end: datetime
    expected: float
    case_count: int
    customer_count: int
    root_cause: str
    cause_code: str = ""
    closed_at: datetime | None = None
    closed_by: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "dimension": self.dimension,
            "value": self.value,
            "status": self.status,
            "unit": self.unit_code,
            "detected_at": self.detected_at.isoformat(),
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "expected": self.expected,
            "case_count": self.case_count,
            "customer_count": self.customer_count,
        }


def _rows(qs: QuerySet[MassIncident]) -> list[IncidentRow]:
    # Distinct customers by the triage record's customer key: the same key the detector counted by.
    annotated = qs.select_related("unit", "closed_by").annotate(
        n_cases=Count("links", distinct=True),
        n_customers=Count("links__case__triage_record__customer_key", distinct=True),
    )
    return [
        IncidentRow(
            id=int(m.pk),
            key=m.key,
            dimension=m.dimension,
            value=m.value,
            status=m.status,
            unit_code=m.unit.code,
            unit_name=m.unit.name,
            detected_at=m.detected_at,
            window_start=m.window_start,
            window_end=m.window_end,
            expected=m.expected,
            case_count=int(m.n_cases),  # type: ignore[attr-defined]
            customer_count=int(m.n_customers),  # type: ignore[attr-defined]
            root_cause=m.root_cause,
            cause_code=m.cause_code,
            closed_at=m.closed_at,
            closed_by=str(m.closed_by) if m.closed_by_id else "",
        )
        for m in annotated
    ]


def incident_list(
    actor: Actor, *, status: str = "", limit: int = LIST_LIMIT, offset: int = 0
) -> tuple[int, list[IncidentRow]]:
    """Newest first, bounded: incidents are few (a handful a month), but a page never grows unbounded."""
    _require_reader(actor)
    qs = visible_incidents(actor)
    if status:
        qs = qs.filter(status=status)
    total = qs.count()
    return total, _rows(qs.order_by("-detected_at", "-pk")[offset : offset + limit])


def incident_for(actor: Actor, incident_id: int) -> IncidentRow:
    _require_reader(actor)
    if not MassIncident.objects.filter(pk=incident_id).exists():
        raise NotFound("not_found", f"mass incident {incident_id} not found", field="incident_id")
    rows = _rows(visible_incidents(actor).filter(pk=incident_id))
    if not rows:
        raise PermissionDenied("permission_denied", "you may not see this mass incident")
    return rows[0]


@dataclass(frozen=True)
class IncidentCases:
    rows: list[dict[str, Any]]  # the cases this person may read (at most the limit)
    hidden: int  # linked cases outside their scope (counted, not shown)
    more: int  # readable cases beyond the limit
    open_count: int  # open cases of the incident (what a bulk response addresses)


def incident_cases(actor: Actor, incident_id: int, limit: int = CASES_LIMIT) -> IncidentCases:
    """The incident's cases the actor may read, oldest first, at most ``limit`` of them."""
    linked = Case.objects.filter(mass_incidents__pk=incident_id)
    readable = (
        visible_cases(actor)
        .filter(mass_incidents__pk=incident_id)
        .select_related("unit", "assignee")
        .order_by("received_at", "pk")
    )
    rows = [
        {
            "id": c.pk,
            "case_number": c.case_number,
            "status": c.status,
            "priority": c.priority,
            "unit": c.unit.name,
            "assignee": c.assignee.username if c.assignee else "",
            "received_at": c.received_at,
            "decision_due_at": c.decision_due_at,
            "complainant_name": c.complainant_name,
        }
        for c in readable[:limit]
    ]
    readable_total = readable.count() if len(rows) == limit else len(rows)
    return IncidentCases(
        rows=rows,
        hidden=linked.count() - readable_total,
        more=readable_total - len(rows),
        open_count=linked.filter(status__in=OPEN).count(),
    )


def duplicate_rows(case: Case) -> list[dict[str, Any]]:
    """A case's duplicate candidates with the candidate's id (for links), best score first."""
    rows = DuplicateCandidate.objects.filter(case=case).select_related("candidate").order_by("-score", "candidate_id")
    return [
        {
            "id": d.candidate_id,
            "case_number": d.candidate.case_number,
            "status": d.candidate.status,
            "score": d.score,
            "reasons": list(d.reasons),
        }
        for d in rows
    ]


def case_incidents(case: Case) -> list[dict[str, Any]]:
    rows = (
        MassIncident.objects.filter(links__case=case).order_by("pk").values("pk", "key", "dimension", "value", "status")
    )
    return [
        {"id": m["pk"], "key": m["key"], "dimension": m["dimension"], "value": m["value"], "status": m["status"]}
        for m in rows
    ]
