"""Reads for the staff case page, reviews and visits: each one query (or a fixed few), no N+1."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import F, QuerySet

from redressal.cases.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CollaborationTask,
    Decision,
    Evidence,
    FollowUpVisit,
    Note,
    Proposal,
)
from redressal.cases.offers import pending_proposal
from redressal.cases.selectors import case_unit_staff, visible_cases
from redressal.cases.services.deadlines import profile_of
from redressal.domain.authority import authority_of
from redressal.domain.choices import STAFF_DELIVERED_CHANNELS
from redressal.domain.escalation import escalation_targets as allowed_targets
from redressal.notify.models import CustomerMessage
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, Staff
from redressal.org.selectors import all_unit_refs, scope_unit_ids, unit_ref

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

def acceptance_contact(case: Case) -> dict[str, Any] | None:
    """The first contact recorded at acceptance (SPEC §8): channel, time, outcome, what was explained."""
    event = CaseEvent.objects.filter(case=case, type="accepted").select_related("actor").order_by("-seq").first()
    if event is None:
        return None
    contact = event.payload.get("contact") if isinstance(event.payload, dict) else None
    contact = contact if isinstance(contact, dict) else {}
    return {
        "channel": contact.get("channel", ""),
        "outcome": contact.get("outcome", ""),
        "explained": contact.get("explained", ""),
        "at": case.accepted_at or event.at,
        "by": event.actor,
    }


def next_deadline(case: Case) -> CaseDeadline | None:
    """The running deadline that falls first (overdue ones included): the one the header counts down."""
    running = [d for d in case.deadlines.all() if d.state == "running"]
    return min(running, key=lambda d: d.due_at) if running else None


def notice_delivery(decision: Decision, deliveries: list[CustomerMessage]) -> dict[str, Any]:
    """One status for the decision notice, saying only what is known: a notice staff gave themselves
    (phone, in person, letter) is as recorded; one that goes by message is sent only once the outbox
    has sent it (customer-message delivery may not be running: then it stays "pending")."""
    out: dict[str, Any] = {"channel": decision.notice_channel, "at": decision.notice_at, "by": decision.decided_by}
    if decision.notice_channel in STAFF_DELIVERED_CHANNELS:
        return out | {"state": "recorded"}
    message = next((m for m in reversed(deliveries) if m.channel == decision.notice_channel), None)
    if message is None:
        return out | {"state": "pending", "message": None}
    # As the outbox knows it: sent (when, by which channel, to which masked address), waiting,
    # deferred to the morning, retrying, or a dead letter.
    return out | {"state": message.state, "sent_at": message.sent_at, "message": message}


def clock_events(case: Case) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(case=case, type__in=CLOCK_EVENT_TYPES).select_related("actor").order_by("seq")
    )

def authority_info(case: Case, actor: Actor, proposals: list[Proposal] | None = None) -> dict[str, Any]:
    """The proposer's compensation limit, the approval ladder, and who must approve a pending proposal
    (``domain.authority.authority_of`` over the case's profile and the person's roles on its unit)."""
    limits = profile_of(case).authority_limits
    pending = pending_proposal(case, proposals)
    authority = authority_of(actor.roles_covering(case.unit), limits, pending.total if pending else None)
    return {
        "own_limit": authority.own_limit,
        "unlimited": authority.unlimited,
        "limits": limits,
        "pending": pending,
        "pending_approver": authority.pending_approver,
        "ladder": list(authority.ladder),
    }


def events_since(case: Case, seq: int) -> list[CaseEvent]:
    """What others did after the person loaded the page (shown on a version conflict)."""
    return list(CaseEvent.objects.filter(case=case, seq__gt=seq).select_related("actor").order_by("seq")[:50])

def departments() -> list[tuple[str, str]]:
    return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("code").values_list("code", "name"))

def responsible_staff_choices(case: Case) -> list[tuple[str, str]]:
    """The staff a responsibility finding may name, as (username, "name · unit")."""
    return [(s.username, f"{s} · {s.unit}") for s in case_unit_staff(case)[:500]]


def escalation_targets(case: Case) -> list[tuple[str, str]]:
    """The units this case may be escalated to (the domain's rule, which the service enforces too)."""
    units = all_unit_refs()
    allowed = allowed_targets(unit_ref(case.unit), (ref for ref, _ in units.values()))
    return [(ref.code, units[ref.code][1]) for ref in allowed]

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


VISIT_STATUSES = ("pending", "done", "all")
VISIT_WINDOWS = ("due", "overdue", "week", "all")


def visit_queryset(
    actor: Actor, today: date, *, status: str = "pending", window: str = "due", mandatory: bool = False
) -> QuerySet[FollowUpVisit]:
    """The follow-up visits in the units where the actor records them, filtered: ``window`` "due" is
    due today or overdue, "overdue" before today, "week" due within the next seven days, "all" any
    date. Pending visits come by due date (the most overdue first), done ones newest first."""
    units = scope_unit_ids(actor, "case.visit")
    qs = FollowUpVisit.objects.filter(case__unit_id__in=units or [-1]).select_related(
        "case", "case__unit", "case__assignee", "done_by"
    )
    if status in ("pending", "done"):
        qs = qs.filter(status=status)
    if window == "due":
        qs = qs.filter(due_date__lte=today)
    elif window == "overdue":
        qs = qs.filter(due_date__lt=today)
    elif window == "week":
        qs = qs.filter(due_date__gte=today, due_date__lte=today + timedelta(days=7))
    if mandatory:
        qs = qs.filter(mandatory=True)
    if status == "done":
        return qs.order_by("-done_at", "-pk")
    return qs.order_by("status", "due_date", "pk")


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
