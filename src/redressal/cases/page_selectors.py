"""Reads for the staff case page, reviews and visits: each one query (or a fixed few), no N+1."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import F, QuerySet

from redressal.cases.models import Case, CaseEvent, CollaborationTask, Decision, Evidence, FollowUpVisit, Note, Proposal
from redressal.cases.selectors import visible_cases
from redressal.notify.models import CustomerMessage
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, Staff
from redressal.org.selectors import scope_unit_ids

# Events that move the decision clock: the deadline history shown next to the deadlines.
CLOCK_EVENT_TYPES = ("extended", "paused", "resumed", "clock_restarted", "reopened", "withdrawn")

def case_records(case: Case) -> dict[str, Any]:
    """Everything the case page lists beside the case row itself."""
    return {
        "notes": list(Note.objects.filter(case=case).select_related("author").order_by("created_at", "pk")),
        "evidence": list(Evidence.objects.filter(case=case).select_related("uploaded_by").order_by("uploaded_at")),
        "tasks": list(
            CollaborationTask.objects.filter(case=case).select_related("department", "replied_by").order_by("pk")
        ),
        "proposals": list(
            Proposal.objects.filter(case=case).select_related("proposed_by", "decided_by").order_by("pk")
        ),
        "decisions": list(Decision.objects.filter(case=case).select_related("decided_by").order_by("pk")),
        "feedback": list(case.feedback.order_by("pk")),
        "visits": list(FollowUpVisit.objects.filter(case=case).select_related("done_by").order_by("due_date")),
        "deliveries": list(
            CustomerMessage.objects.filter(case=case, kind="decision_notice").order_by("created_at")
        ),
    }

def clock_events(case: Case) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(case=case, type__in=CLOCK_EVENT_TYPES).select_related("actor").order_by("seq")
    )

def events_since(case: Case, seq: int) -> list[CaseEvent]:
    """What others did after the person loaded the page (shown on a version conflict)."""
    return list(CaseEvent.objects.filter(case=case, seq__gt=seq).select_related("actor").order_by("seq")[:50])

def departments() -> list[tuple[str, str]]:
    return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("code").values_list("code", "name"))

def escalation_targets(case: Case) -> list[tuple[str, str]]:
    """The units above the case's unit, and the head-office departments (SPEC §7: up or across)."""
    unit = case.unit
    ancestors = [p for p in unit.path.strip("/").split("/") if p] if unit.path else []
    qs = OrgUnit.objects.exclude(pk=unit.pk).filter(kind=OrgUnit.Kind.DEPARTMENT) | OrgUnit.objects.exclude(
        pk=unit.pk
    ).filter(code__in=ancestors)
    return list(qs.order_by("path").values_list("code", "name"))

def case_by_number(actor: Actor, number: str) -> Case | None:
    return visible_cases(actor).select_related("unit", "assignee").filter(case_number=number).first()

def merge_candidates(actor: Actor, case: Case, limit: int = 10) -> list[Case]:
    """Other open cases of the same customer the person can see: the usual repeats to merge into."""
    if case.customer_id is None:
        return []
    return list(
        visible_cases(actor)
        .filter(customer_id=case.customer_id, closed_at__isnull=True)
        .exclude(pk=case.pk)
        .select_related("unit")
        .order_by("-received_at")[:limit]
    )


def review_cases(actor: Actor, limit: int = 100) -> QuerySet[Case]:
    """Open review cases in the reviewer's scope, nearest deadline first (bounded)."""
    qs = visible_cases(actor, "case.review").filter(kind=Case.Kind.REVIEW)
    qs = qs.select_related("unit", "assignee", "review_of")
    # Open reviews first (NULL sorts last by default on PostgreSQL, first on SQLite: say which).
    return qs.order_by(
        F("closed_at").asc(nulls_first=True), F("decision_due_at").asc(nulls_last=True), "-received_at"
    )[:limit]

def due_visits(actor: Actor, today: date, limit: int = 200) -> list[FollowUpVisit]:
    """Pending visits due today or overdue, in the units where the actor records visits."""
    units = scope_unit_ids(actor, "case.visit")
    if not units:
        return []
    return list(
        FollowUpVisit.objects.filter(case__unit_id__in=units, status="pending", due_date__lte=today)
        .select_related("case", "case__unit", "case__assignee")
        .order_by("due_date", "pk")[:limit]
    )

def done_visits(actor: Actor, since: datetime, limit: int = 50) -> list[FollowUpVisit]:

    units = scope_unit_ids(actor, "case.visit")
    if not units:
        return []
    return list(
        FollowUpVisit.objects.filter(case__unit_id__in=units, status="done", done_at__gte=since)
        .select_related("case", "done_by")
        .order_by("-done_at")[:limit]
    )


# The recorded changes that hold ids; the trail shows who or what they name (SPEC §13: an auditor reads
# "经办人 张三 → 李四", not "7 → 9").
NAMED_FIELDS = ("assignee_id", "unit_id", "merged_into_id")


def change_names(events: Iterable[CaseEvent]) -> dict[str, dict[Any, Any]]:
    """For each id-valued field in the events' before/after changes, what each id names (a person's
    name, the unit, the case number)."""
    wanted: dict[str, set[int]] = {f: set() for f in NAMED_FIELDS}
    for e in events:
        changes = (e.payload or {}).get("changes") or {}
        for field, change in changes.items():
            if field in wanted and isinstance(change, dict):
                wanted[field].update(v for v in (change.get("before"), change.get("after")) if isinstance(v, int))
    return {
        "assignee_id": {s.pk: str(s) for s in Staff.objects.filter(pk__in=wanted["assignee_id"])},
        "unit_id": {u.pk: u for u in OrgUnit.objects.filter(pk__in=wanted["unit_id"])},
        "merged_into_id": dict(
            Case.objects.filter(pk__in=wanted["merged_into_id"]).values_list("pk", "case_number")
        ),
    }
