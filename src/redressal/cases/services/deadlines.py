"""Deadline rows and warning rows, recomputed from the case's events by the pure domain function."""

from __future__ import annotations

from datetime import datetime

from redressal.cases.models import Case, CaseDeadline, CaseEvent, DeadlineWarning
from redressal.domain.deadlines import (
    CLOCK_EVENTS,
    DECISION_KINDS,
    ClockEvent,
    Deadline,
    DeadlineInput,
    clock_event,
    compute_deadlines,
)
from redressal.domain.profiles import Profile, load_profile
from redressal.domain.warnings import BREACH
from redressal.workdays.services import work_calendar


def profile_of(case: Case) -> Profile:
    return load_profile(case.profile_code)


def clock_input(case: Case, extra: list[ClockEvent] | None = None, *, unmoved: bool = False) -> DeadlineInput:
    """``unmoved``: no event has moved the case's clock yet (a registration without a first-contact
    answer), so there are none to read."""
    events: list[ClockEvent] = []
    rows = (
        []
        if unmoved
        else CaseEvent.objects.filter(case=case, type__in=CLOCK_EVENTS)
        .order_by("seq")
        .values_list("type", "at", "payload")
    )
    for type_, at, payload in rows:
        event = clock_event(type_, at, payload)
        if event is not None:
            events.append(event)
    events.extend(extra or [])
    case_kind = "review" if case.kind == Case.Kind.REVIEW else case.request_type
    return DeadlineInput(
        received_at=case.received_at,
        kind_of_case=case_kind,
        regulator_forwarded=case.source == Case.Source.REGULATOR_FORWARDED,
        events=tuple(events),
        forwarded_at=case.forwarded_at,
    )


def current_deadlines(case: Case, now: datetime, *, unmoved: bool = False) -> list[Deadline]:
    return compute_deadlines(profile_of(case), work_calendar(), clock_input(case, unmoved=unmoved), now)


def _warning_rows(case: Case, d: Deadline) -> list[DeadlineWarning]:
    rows = [
        DeadlineWarning(case=case, deadline_kind=d.kind, label=r.label, fire_at=r.at, due_at=d.due_at)
        for r in d.reminders
    ]
    rows.append(DeadlineWarning(case=case, deadline_kind=d.kind, label=BREACH, fire_at=d.due_at, due_at=d.due_at))
    return rows


def _still_owed(d: Deadline) -> bool:
    """A running clock, or one overdue and still open: its breach warning must still fire."""
    return d.state == "running" or (d.state == "breached" and d.ended_at is None)


def _due_now_or_later(rows: list[DeadlineWarning], now: datetime) -> list[DeadlineWarning]:
    """Future moments, and of the past ones only the latest: a case registered late (received days
    ago) gets one warning for where its clock stands, not every warning it has already passed."""
    past = [w for w in rows if w.fire_at <= now]
    future = [w for w in rows if w.fire_at > now]
    return future + ([max(past, key=lambda w: w.fire_at)] if past else [])


def recompute_deadlines(case: Case, now: datetime, *, new: bool = False, unmoved: bool = False) -> list[Deadline]:
    """Write the deadline rows and the pending warnings; fired warnings stay as history.

    ``new``: the case was created in this transaction, so there is nothing to compare or remove;
    ``unmoved``: nor has any event moved its clock (see ``clock_input``).
    """
    deadlines = current_deadlines(case, now, unmoved=unmoved)
    existing = {} if new else {row.kind: row for row in CaseDeadline.objects.filter(case=case)}
    fresh: list[CaseDeadline] = []
    for d in deadlines:
        values = {
            "due_at": d.due_at,
            "legal_due_at": d.legal_due_at,
            "state": d.state,
            "history": [
                {"due_at": h.due_at.isoformat(), "reason": h.reason, "at": h.at.isoformat()} for h in d.history
            ],
        }
        row = existing.pop(d.kind, None)
        if row is None:
            fresh.append(CaseDeadline(case=case, kind=d.kind, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save(update_fields=list(values))
    if existing:
        CaseDeadline.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    CaseDeadline.objects.bulk_create(fresh)
    if not new:
        DeadlineWarning.objects.filter(case=case, fired_at__isnull=True).delete()
    pending = [w for d in deadlines if _still_owed(d) for w in _due_now_or_later(_warning_rows(case, d), now)]
    DeadlineWarning.objects.bulk_create(pending, ignore_conflicts=True)
    decision = next((d for d in deadlines if d.kind in DECISION_KINDS), None)
    case.decision_due_at = decision.due_at if decision else None
    return deadlines
