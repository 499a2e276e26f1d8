"""The shape every case action shares: lock, authorise, ask the domain, write, append, recompute.

Each public service (``accept_case``, ``extend_deadline``, …) is one call to :func:`perform` with the
permission it needs and a ``change`` function that applies it to the locked case and returns the
event's payload. Everything happens in one transaction, so a refused or failed action leaves
nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from redressal.cases.models import Case
from redressal.cases.services.deadlines import profile_of, recompute_deadlines
from redressal.cases.services.events import append_event
from redressal.cases.services.projection import TRACKED, snapshot
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, ServiceError, ValidationFailed
from redressal.domain.backdating import check_backdate
from redressal.domain.errors import DomainError
from redressal.domain.lifecycle import check_transition
from redressal.org.authz import Actor
from redressal.workdays.services import work_calendar


@dataclass
class Done:
    """What a change returns: the event to write (its type and payload) and the real-world moment."""

    event_type: str
    payload: dict[str, Any]
    reason: str = ""


def domain_error(exc: DomainError) -> ServiceError:
    return ServiceError(exc.rule, exc.message, field=exc.field)


def _check_recorded_in_time(case: Case, at: datetime, current: datetime, backdate_reason: str) -> bool:
    """Whether the action is backdated (recorded more than a working day after ``at``); refuses one
    without a reason, and any action dated before the case was received."""
    if at < case.received_at:
        raise ValidationFailed("before_receipt", "an action cannot precede the case's receipt", field="at")
    return check_backdate(work_calendar(), profile_of(case).tz, at, current, backdate_reason)


def resolve_at(at: datetime | None, current: datetime) -> datetime:
    if at is None:
        return current
    if at.tzinfo is None:
        raise ValidationFailed("naive_time", "times must carry a UTC offset", field="at")
    if at > current:
        raise ValidationFailed("future_time", "the time of an action cannot be in the future", field="at")
    return at


def lock_case(case_id: int) -> Case:
    try:
        # The case row alone: on PostgreSQL a joined SELECT … FOR UPDATE that waited behind a change of
        # the join column (an escalation moves unit_id) re-checks the join against the old unit row and
        # returns no row at all — a spurious 404. unit and customer load after the lock, fresh.
        return Case.objects.select_for_update().get(pk=case_id)
    except Case.DoesNotExist:
        raise NotFound("not_found", f"case {case_id} not found", field="case_id") from None


def perform(
    case_id: int,
    actor: Actor | None,
    action: str,
    permission: str | None,
    change: Callable[[Case, datetime], Done],
    *,
    expected_version: int | None = None,
    check_state: bool = True,
    backdate_reason: str = "",
) -> Case:
    """Run one action on the locked case.

    ``backdate_reason``: why an action is recorded more than one working day after its ``at`` (the
    real-world moment, returned by ``change`` in the payload). Such an action is refused without one;
    with one, the event carries it and is marked ``backdated`` for the compliance list (补录操作).
    """
    with transaction.atomic():
        case = lock_case(case_id)
        if actor is not None and permission is not None:
            actor.require(permission, case.unit)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(
                "version_conflict",
                f"the case was changed by someone else (version {case.version}, you had {expected_version})",
                field="expected_version",
            )
        target = None
        try:
            if check_state:
                target = check_transition(action, case.status, case.request_type)
        except DomainError as exc:
            raise domain_error(exc) from None
        current = now()
        before = snapshot(case)
        try:
            done = change(case, current)
        except DomainError as exc:
            raise domain_error(exc) from None
        if target is not None and case.status == before["status"] and done.payload.get("keep_status") is not True:
            case.status = target.value
        done.payload.pop("keep_status", None)
        after = snapshot(case)
        diff = {k: {"before": before[k], "after": after[k]} for k in TRACKED if before[k] != after[k]}
        payload = dict(done.payload)
        if diff:
            payload["changes"] = diff
        at = payload.pop("at", None)
        try:
            backdated = at is not None and _check_recorded_in_time(case, at, current, backdate_reason)
            if backdated:
                payload["backdate_reason"] = backdate_reason.strip()
            append_event(
                case,
                done.event_type,
                actor=actor,
                at=at or current,
                reason=done.reason,
                payload=payload,
                backdated=backdated,
            )
            case.version += 1
            recompute_deadlines(case, current)
        except DomainError as exc:  # a backdate without reason; a calendar year that cannot be counted
            raise domain_error(exc) from None
        case.save()
        return case
