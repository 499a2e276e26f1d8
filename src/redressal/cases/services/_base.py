"""The one path every change of a case takes: lock, authorise, ask the domain, write, append, publish,
recompute, save.

Each public service (``accept_case``, ``extend_deadline``, …) is one call to :func:`perform` with the
permission it needs and a ``change`` function that applies it to the locked case and returns the
event's payload. A command that creates a case (registration, a review request) runs the same steps
on the case it has just inserted (:func:`perform_new`). Every appended event is published to the
subscribers of ``cases.bus``; the steps they answer with run in the same command. The deadlines are
computed once and the case saved once, at the end. Everything happens in one transaction, so a refused
or failed action leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from redressal.cases import bus
from redressal.cases.models import Case
from redressal.cases.services.deadlines import profile_of, recompute_deadlines
from redressal.cases.services.events import append_event
from redressal.cases.services.projection import TRACKED, snapshot
from redressal.cases.steps import Change, ChannelOrigin, Done, Step
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, ServiceError, ValidationFailed
from redressal.domain.backdating import check_backdate
from redressal.domain.calendar import CalendarYearMissing
from redressal.domain.deadlines import CLOCK_EVENTS
from redressal.domain.errors import DomainError
from redressal.domain.lifecycle import check_transition
from redressal.org.authz import Actor
from redressal.workdays.services import work_calendar

__all__ = ["Done", "Run", "Step", "domain_error", "lock_case", "perform", "perform_new", "resolve_at"]


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


class Run:
    """One command on one locked (or just inserted) case: its steps, the follow-on steps subscribers
    ask for, then one deadline computation, one save and one publication of the saved case."""

    def __init__(self, case: Case, current: datetime, *, prepared: Mapping[str, Any] | None = None) -> None:
        self.case = case
        self.current = current
        self.prepared: Mapping[str, Any] = prepared or {}
        self.event_types: list[str] = []
        self._pending: list[Step] = []

    def apply(self, step: Step, backdate_reason: str = "") -> None:
        """Apply one step and append its event; the subscribers' follow-on steps wait their turn."""
        case = self.case
        if step.when is not None and not step.when(case):
            return
        if step.permission is not None and step.actor is not None:
            step.actor.require(step.permission, case.unit)
        target = None
        try:
            if step.check_state:
                target = check_transition(step.action, case.status, case.request_type)
        except DomainError as exc:
            raise domain_error(exc) from None
        before = snapshot(case)
        try:
            done = step.change(case, self.current)
        except DomainError as exc:
            raise domain_error(exc) from None
        if done is None:
            return
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
            backdated = (
                step.backdating and at is not None and _check_recorded_in_time(case, at, self.current, backdate_reason)
            )
        except DomainError as exc:  # a backdate without its reason
            raise domain_error(exc) from None
        if backdated:
            payload["backdate_reason"] = backdate_reason.strip()
        if step.origin is not None:
            payload["via"] = {"adapter": step.origin.adapter, "reference": step.origin.reference}
        event = append_event(
            case,
            done.event_type,
            actor=step.actor,
            at=at or self.current,
            reason=done.reason,
            payload=payload,
            backdated=backdated,
            by_customer=step.origin is not None,
        )
        case.version += 1
        self.event_types.append(done.event_type)
        self._pending.extend(bus.react(bus.Published(case, event, step.actor, self.prepared)))

    def settle(self) -> None:
        """Run the follow-on steps the subscribers asked for (and theirs, in turn)."""
        while self._pending:
            self.apply(self._pending.pop(0))

    def then(self, steps: Sequence[Step]) -> None:
        """More steps of the same command, each after what the previous one set off."""
        for step in steps:
            self.apply(step)
            self.settle()

    def finish(self, *, new: bool = False) -> Case:
        """Run the follow-on steps, then compute the deadlines and save the case, once each."""
        self.settle()
        try:
            # A registration's own events read back only when one of them moved the clock (an answer
            # given at registration is the first contact).
            unmoved = new and not any(t in CLOCK_EVENTS for t in self.event_types)
            recompute_deadlines(self.case, self.current, new=new, unmoved=unmoved)
        except CalendarYearMissing as exc:  # no holidays known for the year: refused, not guessed
            if new:
                raise ValidationFailed(exc.rule, exc.message, field="received_at") from None
            raise domain_error(exc) from None
        except DomainError as exc:
            raise domain_error(exc) from None
        self.case.save()
        bus.saved(self.case, tuple(self.event_types))
        return self.case


def perform(
    case_id: int,
    actor: Actor | None,
    action: str,
    permission: str | None,
    change: Change,
    *,
    expected_version: int | None = None,
    check_state: bool = True,
    backdate_reason: str = "",
    backdating: bool = True,
    then: Sequence[Step] = (),
    origin: ChannelOrigin | None = None,
) -> Case:
    """Run one action on the locked case (``then``: more steps of the same command, after it).

    ``origin``: the customer acts through a channel (``actor`` None), see ``ChannelOrigin``.

    ``backdate_reason``: why an action is recorded more than one working day after its ``at`` (the
    real-world moment, returned by ``change`` in the payload). Such an action is refused without one;
    with one, the event carries it and is marked ``backdated`` for the compliance list (补录操作).
    ``backdating`` False: ``at`` is when something came from outside (a customer's request), which is
    no action recorded late.
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
        run = Run(case, now())
        run.apply(
            Step(action, change, actor, origin=origin, check_state=check_state, backdating=backdating), backdate_reason
        )
        run.settle()
        run.then(then)
        return run.finish()


def perform_new(
    case: Case,
    actor: Actor | None,
    change: Change,
    *,
    current: datetime,
    prepared: Mapping[str, Any] | None = None,
    then: Sequence[Step] = (),
    origin: ChannelOrigin | None = None,
) -> Case:
    """A command that creates ``case`` (unsaved): insert it, then its first event through the same steps,
    then ``then`` (an answer, attachments given with the registration). The caller holds the transaction."""
    case.save()
    run = Run(case, current, prepared=prepared)
    run.apply(Step("register", change, actor, origin=origin, check_state=False, backdating=False))
    run.settle()
    run.then(then)
    return run.finish(new=True)
