"""Regulatory deadlines of a case, computed from its facts and clock events.

:func:`compute_deadlines` is a pure function of (profile, calendar, case facts, events, now): the
services store its result and recompute it after every event, so a deadline is never edited by hand
and can always be explained from the case history.

The rules, as in 《银行业保险业消费投诉处理管理办法》(原银保监会令2020年第3号, "办法") and
《民法典》 (profile ``CN-2020-3``):

* Decision (办法 第十八条第一款): decide and tell the complainant within 15 days of receipt. The
  day of receipt is not counted (民法典 第二百零一条), so the period ends at 24:00 local time of
  receipt date + 15 (第二百零三条第二款). Extension to 30 days, and then by a further 30 to 60 days,
  both counted from receipt.
* If the last day is a rest day, the period lawfully ends at 24:00 of the next working day
  (民法典 第二百零三条第一款); that is ``legal_due_at``. The bank works to ``due_at``, the plain
  calendar end, and a case is *breached* when it passes ``due_at`` — the safer reading.
* Time with an external appraisal, test or evaluation is not counted (办法 第十八条第二款): the
  deadline moves by the paused calendar days (resume date − pause date).
* New facts and reasons restart the period from the day the new material arrives (第十八条第三款);
  extensions granted before the restart no longer apply.
* A withdrawal ends the procedure on the day it is received (办法 第十五条): clocks stop.
* Review (核查, 办法 第二十条): decide within 30 days of receiving the request. The 办法 gives no
  extension or suspension for the review period, so those events do not move it.
* First contact is the bank's own service level in working days; it has no statutory end, so its
  ``legal_due_at`` is its ``due_at``.

Warnings (``reminders``, each with its label) are the policy's early reminders; the breach alert at
``due_at`` itself is added by the services (``redressal.cases.services.deadlines``), not listed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from redressal.domain.calendar import WorkCalendar
from redressal.domain.errors import DomainError
from redressal.domain.profiles import Profile
from redressal.domain.warnings import days_label, fraction_label

# --- vocabulary ------------------------------------------------------------------------------------

CLOCK_KINDS = frozenset(
    {
        "extension",
        "pause",
        "resume",
        "restart",
        "withdraw",
        "accept",
        "notify_decision",
        "review_decision",
        "close",
    }
)
CASE_KINDS = frozenset({"complaint", "consultation", "suggestion", "other", "review"})
# Consultations and suggestions are answered, not decided: they have no decision period.
DECISION_CASE_KINDS = frozenset({"complaint", "other"})
DEADLINE_STATES = frozenset({"running", "paused", "met", "breached", "stopped"})

FIRST_CONTACT = "first_contact"
DECISION = "decision"
REVIEW_DECISION = "review_decision"
# The reply to the regulator that forwarded the complaint (SPEC §9; profile ``regulator_reply``).
REGULATOR_REPLY = "regulator_reply"
# The clocks of the decision a case is waiting for (a complaint's, or a review's): at most one per case.
DECISION_KINDS = (DECISION, REVIEW_DECISION)

# Events that show the complainant has been contacted: accepting the case, or telling a decision.
_CONTACT_EVENTS = frozenset({"accept", "notify_decision", "review_decision"})

# Which event of a case's history moves or stops which clock. Answering a consultation is its first
# contact, as accepting is a complaint's; a withdrawal ends the procedure (办法 第十五条), and so do a
# decline and a merge into another case; a reopening restarts the period only when it brings new
# facts and reasons (第十八条第三款), which its payload says (``restart_clock``).
CLOCK_EVENTS: Mapping[str, str] = {
    "accepted": "accept",
    "answered": "accept",
    "extended": "extension",
    "paused": "pause",
    "resumed": "resume",
    "clock_restarted": "restart",
    "withdrawn": "withdraw",
    "declined": "withdraw",
    "merged": "withdraw",
    "responded": "notify_decision",
    "reopened": "restart",
    "closed": "close",
}


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class ClockEvent:
    """Something that happened to the case and affects a clock.

    ``kind`` is one of :data:`CLOCK_KINDS`. ``level`` is the extension level for ``extension``
    events (0: "the next level"). For ``restart``, ``at`` is when the new material was received.
    """

    kind: str
    at: datetime
    level: int = 0

    def __post_init__(self) -> None:
        if self.kind not in CLOCK_KINDS:
            raise ValueError(f"unknown clock event kind {self.kind!r}")
        _require_aware(self.at, "ClockEvent.at")


def clock_event(event_type: str, at: datetime, payload: Mapping[str, Any]) -> ClockEvent | None:
    """The clock event a case event is (:data:`CLOCK_EVENTS`), or None when it moves no clock;
    ``payload`` is the event's (an extension's ``level``, a reopening's ``restart_clock``)."""
    kind = CLOCK_EVENTS.get(event_type)
    if kind is None or (event_type == "reopened" and not payload.get("restart_clock")):
        return None
    return ClockEvent(kind=kind, at=at, level=int(payload.get("level", 0) or 0))


@dataclass(frozen=True)
class DeadlineInput:
    """The case facts the deadlines depend on."""

    received_at: datetime
    kind_of_case: str  # one of CASE_KINDS
    regulator_forwarded: bool = False
    events: Sequence[ClockEvent] = ()
    # When the regulator's transfer reached the bank (a forwarded case's reply period starts here).
    forwarded_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind_of_case not in CASE_KINDS:
            raise ValueError(f"unknown kind of case {self.kind_of_case!r}")
        _require_aware(self.received_at, "received_at")
        if self.forwarded_at is not None:
            _require_aware(self.forwarded_at, "forwarded_at")
        object.__setattr__(self, "events", tuple(self.events))


@dataclass(frozen=True)
class HistoryEntry:
    """A previous ``due_at`` and why it moved (``extension_l1``, ``pause``, ``restart`` …).

    ``outcome`` is set when a restart replaced a period that had already ended (met or breached), so
    that the earlier result stays on record.
    """

    due_at: datetime
    reason: str
    at: datetime
    outcome: str | None = None


@dataclass(frozen=True)
class Reminder:
    """One warning moment of a clock, named after the profile setting that asks for it."""

    at: datetime
    label: str  # "50%", "80%", "2d" (``domain.warnings``)


@dataclass(frozen=True)
class Deadline:
    kind: str  # first_contact, decision, review_decision
    due_at: datetime
    legal_due_at: datetime
    reminders: tuple[Reminder, ...]
    state: str  # one of DEADLINE_STATES
    history: tuple[HistoryEntry, ...] = ()
    started_at: datetime | None = None  # start of the current period (receipt, or restart)
    extension_level: int = 0
    paused_since: datetime | None = None
    ended_at: datetime | None = None  # when it was met, breached by a late notice, or stopped

    @property
    def warn_at(self) -> tuple[datetime, ...]:
        return tuple(r.at for r in self.reminders)


# --- time helpers ----------------------------------------------------------------------------------


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The business date of ``moment`` in the profile's time zone."""
    _require_aware(moment, "moment")
    return moment.astimezone(tz).date()


def end_of_day(d: date, tz: tzinfo) -> datetime:
    """24:00 of ``d`` — the last moment of a period (民法典 第二百零三条第二款) — as local midnight of d+1.

    The 24:00 rule is used even though 第二百零三条 lets a party with business hours close at the end
    of them: complaints come in through channels that are open all day.
    """
    return datetime.combine(d + timedelta(days=1), time(0), tzinfo=tz)


def legal_end(due_day: date, calendar: WorkCalendar, tz: tzinfo) -> datetime:
    """When the last day is a rest day the period ends on the next working day (民法典 第二百零三条)."""
    return end_of_day(calendar.next_working_day(due_day, inclusive=True), tz)


def reminders(profile: Profile, start: datetime, due: datetime) -> tuple[Reminder, ...]:
    """The policy's reminders: at each fraction of the period elapsed, and N days before the end.

    Only moments strictly inside the period are kept, sorted, one per moment: where an "N days
    before" moment is also a fraction's, the fraction names it (the period's own milestone).
    """
    start = start.astimezone(due.tzinfo)  # all reminders in the profile's time zone
    period = due - start
    named: dict[datetime, str] = {}
    for fraction in profile.warnings.fractions:
        moment = start + timedelta(seconds=round(period.total_seconds() * fraction))
        named.setdefault(moment, fraction_label(fraction))
    for days in profile.warnings.days_before_due:
        named.setdefault(due - timedelta(days=days), days_label(days))
    return tuple(Reminder(m, label) for m, label in sorted(named.items()) if start < m < due)


def review_window_end(profile: Profile, calendar: WorkCalendar, decision_received_at: datetime) -> datetime:
    """The last moment the complainant may ask for review.

    办法 (article number to verify): within 30 days of receiving the decision. This is the complainant's period, so the
    bank honours its lawful end (民法典 第二百零三条).
    """
    tz = profile.tz
    last = calendar.add_calendar_days(
        local_date(decision_received_at, tz), profile.review.request_window_days
    )
    return legal_end(last, calendar, tz)


# --- the clocks ------------------------------------------------------------------------------------


def compute_deadlines(
    profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, now: datetime
) -> list[Deadline]:
    """All deadlines of the case as of ``now``: first contact, then the decision or review period.

    Events are applied in order of ``at`` (ties keep their given order). Events are taken as given;
    whether they were allowed is for :func:`check_extension`, :func:`check_pause` and
    :func:`check_resume` to decide before they are recorded.
    """
    _require_aware(now, "now")
    events = sorted(inp.events, key=lambda e: e.at)
    deadlines = [_first_contact(profile, calendar, inp, events, now)]
    if inp.kind_of_case in DECISION_CASE_KINDS:
        deadlines.append(_decision(profile, calendar, inp, events, now))
    elif inp.kind_of_case == "review":
        deadlines.append(_review_decision(profile, calendar, inp, events, now))
    if inp.regulator_forwarded and profile.regulator_reply_days is not None:
        deadlines.append(_regulator_reply(profile, calendar, inp, events, now))
    return deadlines


def _outcome(at: datetime, due: datetime) -> str:
    """Met when done at or before the deadline (24:00 of the last day is still in time)."""
    return "met" if at <= due else "breached"


def _open_state(due: datetime, now: datetime) -> str:
    return "breached" if now > due else "running"


def _fixed_clock(
    kind: str,
    profile: Profile,
    calendar: WorkCalendar,
    start: datetime,
    due_day: date,
    events: Iterable[ClockEvent],
    done_by: frozenset[str],
    now: datetime,
    *,
    legal: bool,
) -> Deadline:
    """A clock whose end never moves: it is met by one of ``done_by`` and stopped by a withdrawal."""
    tz = profile.tz
    due = end_of_day(due_day, tz)
    state: str | None = None
    ended: datetime | None = None
    for event in events:
        if event.kind in done_by or event.kind == "close":
            state, ended = _outcome(event.at, due), event.at
        elif event.kind == "withdraw":
            # A clock that had already run out stays breached: a later withdrawal does not undo it.
            state, ended = ("stopped" if event.at <= due else "breached"), event.at
        if state is not None:
            break
    return Deadline(
        kind=kind,
        due_at=due,
        legal_due_at=legal_end(due_day, calendar, tz) if legal else due,
        reminders=reminders(profile, start, due),
        state=state or _open_state(due, now),
        started_at=start,
        ended_at=ended,
    )


def _first_contact(
    profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, events: Sequence[ClockEvent], now: datetime
) -> Deadline:
    """First contact within N working days after receipt (policy; 1 for CN-2020-3, also when forwarded)."""
    days = (
        profile.regulator_forwarded_first_contact_working_days
        if inp.regulator_forwarded
        else profile.first_contact_working_days
    )
    received = local_date(inp.received_at, profile.tz)
    due_day = calendar.add_working_days(received, days)
    # A working-day SLA ends on a working day (for days ≥ 1), so its legal end is its end.
    return _fixed_clock(
        FIRST_CONTACT,
        profile,
        calendar,
        inp.received_at,
        due_day,
        events,
        _CONTACT_EVENTS,
        now,
        legal=days == 0,
    )


def _review_decision(
    profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, events: Sequence[ClockEvent], now: datetime
) -> Deadline:
    """核查决定 within 30 days of receiving the request (办法 第二十条); no extension, no suspension."""
    received = local_date(inp.received_at, profile.tz)
    due_day = calendar.add_calendar_days(received, profile.review.decision_days)
    return _fixed_clock(
        REVIEW_DECISION,
        profile,
        calendar,
        inp.received_at,
        due_day,
        events,
        frozenset({"notify_decision", "review_decision"}),
        now,
        legal=True,
    )


def _regulator_reply(
    profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, events: Sequence[ClockEvent], now: datetime
) -> Deadline:
    """The reply to the forwarding regulator (profile ``regulator_reply``): N calendar days from the
    day the transfer reached the bank (``forwarded_at``, else receipt), that day not counted. The
    reply carries the decision, so it is met when the decision is told (or the case is closed) in
    time; a withdrawal stops it. Extensions and pauses of the decision period do not move it: the
    regulator's period is its own."""
    days = profile.regulator_reply_days or 0
    start = inp.forwarded_at or inp.received_at
    due_day = calendar.add_calendar_days(local_date(start, profile.tz), days)
    return _fixed_clock(
        REGULATOR_REPLY,
        profile,
        calendar,
        start,
        due_day,
        events,
        frozenset({"notify_decision", "review_decision"}),
        now,
        legal=True,
    )


@dataclass
class _Period:
    """The decision period being counted: ``days`` from ``anchor`` (receipt, or the new material)."""

    tz: tzinfo
    started_at: datetime
    anchor: date
    days: int
    level: int = 0
    paused_days: int = 0
    paused_since: datetime | None = None
    history: list[HistoryEntry] = field(default_factory=list)

    def last_day(self) -> date:
        # Paused days are added on top of whatever period is in force (办法 第十八条第二款).
        return self.anchor + timedelta(days=self.days + self.paused_days)

    def due_at(self) -> datetime:
        return end_of_day(self.last_day(), self.tz)

    def _moved(self, before: datetime, reason: str, at: datetime) -> None:
        if self.due_at() != before:
            self.history.append(HistoryEntry(due_at=before, reason=reason, at=at))

    def extend(self, level: int, days_from_receipt: int, at: datetime) -> None:
        before = self.due_at()
        self.level, self.days = level, days_from_receipt
        self._moved(before, f"extension_l{level}", at)

    def pause(self, at: datetime) -> None:
        if self.paused_since is None:  # a second pause while paused changes nothing
            self.paused_since = at

    def resume(self, at: datetime) -> None:
        if self.paused_since is None:
            return
        before = self.due_at()
        paused = (local_date(at, self.tz) - local_date(self.paused_since, self.tz)).days
        self.paused_days += max(0, paused)
        self.paused_since = None
        self._moved(before, "pause", at)


def _decision(
    profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, events: Sequence[ClockEvent], now: datetime
) -> Deadline:
    """The decision period of 办法 第十八条, with its extensions, pauses and restarts."""
    tz = profile.tz
    rule = profile.decision
    period = _Period(tz, inp.received_at, local_date(inp.received_at, tz), rule.days)
    state: str | None = None  # None while the period runs (or is paused)
    ended: datetime | None = None

    for event in events:
        if event.kind == "withdraw":
            # A withdrawal ends the procedure for good (办法 第十五条); nothing after it counts.
            if state is None:
                period.resume(event.at)
                # Withdrawn in time: stopped. Already overdue: the breach has happened and stays.
                state, ended = ("stopped" if event.at <= period.due_at() else "breached"), event.at
            break
        if event.kind == "restart":
            # New facts and reasons: counted afresh from the new material (办法 第十八条第三款). Earlier
            # extensions and pauses belong to the old period (an open pause ends with it); a later
            # extension counts from the new material. A restart also reopens a period that had ended
            # (a case reopened with new facts); the earlier result stays in the history.
            start = max(event.at, inp.received_at)
            old = HistoryEntry(due_at=period.due_at(), reason="restart", at=event.at, outcome=state)
            period = _Period(
                tz, start, local_date(start, tz), profile.restart_days, history=[*period.history, old]
            )
            state, ended = None, None
        elif state is not None:
            continue  # the period has ended; only a restart reopens it
        elif event.kind == "extension":
            level = _target_level(profile, period.level, event.level)
            if level > period.level:  # an extension never shortens the period
                period.extend(level, rule.extension(level).days_from_receipt, event.at)
        elif event.kind == "pause":
            period.pause(event.at)
        elif event.kind == "resume":
            period.resume(event.at)
        elif event.kind in ("notify_decision", "close"):
            period.resume(event.at)  # a decision told during a pause: the paused days still count
            state, ended = _outcome(event.at, period.due_at()), event.at

    due = period.due_at()
    if state is None:
        state = "paused" if period.paused_since is not None else _open_state(due, now)
    return Deadline(
        kind=DECISION,
        due_at=due,
        legal_due_at=legal_end(period.last_day(), calendar, tz),
        reminders=reminders(profile, period.started_at, due),
        state=state,
        history=tuple(period.history),
        started_at=period.started_at,
        extension_level=period.level,
        paused_since=period.paused_since,
        ended_at=ended,
    )


def _target_level(profile: Profile, current: int, requested: int) -> int:
    """The level an extension event brings the period to: its own level, or the next one if 0."""
    levels = profile.decision.levels
    if not levels:
        return current
    if requested <= 0:
        requested = current + 1
    return min(requested, max(levels))


# --- checks before an event is recorded -------------------------------------------------------------
#
# Every check judges the action at its ``at``, the real-world moment it happened (SPEC §14), not at
# the moment it is typed in: an extension decided in time but recorded a month later was in time.
# The clock is read as it stood at ``at`` — from the events that had happened by then.

# The events that move or end the decision period (first contact alone is not one of them).
DECISION_CLOCK_KINDS = CLOCK_KINDS - {"accept"}


def as_of(inp: DeadlineInput, moment: datetime) -> DeadlineInput:
    """The case as it stood at ``moment``: only the events that had happened by then."""
    _require_aware(moment, "moment")
    return replace(inp, events=tuple(e for e in inp.events if e.at <= moment))


def check_moment(inp: DeadlineInput, at: datetime) -> None:
    """Refuse a decision-clock action dated before receipt, or before the clock's latest event.

    An action may be recorded late (backdated, with a reason: :mod:`redressal.domain.backdating`),
    but it may not be slipped in before a clock event already on record: the deadlines, warnings and
    notices that followed that event were worked out without it, and the history would be rewritten
    behind them. Record the actions of a case in the order they happened.
    """
    _require_aware(at, "at")
    if at < inp.received_at:
        raise DomainError(
            "at.before_receipt",
            f"the case was received at {inp.received_at.isoformat()}; an action cannot precede it",
            field="at",
        )
    latest = max((e.at for e in inp.events if e.kind in DECISION_CLOCK_KINDS), default=None)
    if latest is not None and at < latest:
        raise DomainError(
            "at.before_previous_event",
            f"the decision period already has an event at {latest.isoformat()}; "
            "an action cannot be dated before it",
            field="at",
        )


def _decision_clock(profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, at: datetime) -> Deadline:
    """The decision period as it stood at ``at``."""
    return next(d for d in compute_deadlines(profile, calendar, as_of(inp, at), at) if d.kind == DECISION)


def check_extendable(
    profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, level: int, at: datetime
) -> None:
    """Refuse an extension to ``level`` that no approver could grant (办法 第十八条第一款 and the profile).

    Everything about the period itself: the level exists, the case has a decision period, its clock
    runs, it has not ended (when the profile says extend before the due moment), the level is not in
    force yet and the one it requires is, and it stays within the maximum. A handler's request is
    checked against this when it is made, so the approver is not the first to find out; who may
    approve is :func:`check_extension`'s. ``at`` is the real-world moment the extension is asked
    for or decided: the period is judged as it stood then, however much later it is recorded.
    """
    rule = profile.decision
    if level not in rule.levels:
        raise DomainError(
            "extension.level_invalid",
            f"there is no extension level {level} (levels: {rule.levels})",
            field="level",
        )
    if inp.kind_of_case not in DECISION_CASE_KINDS:
        raise DomainError(
            "extension.not_applicable",
            f"a {inp.kind_of_case} case has no decision period to extend",
            field="level",
        )
    check_moment(inp, at)
    clock = _decision_clock(profile, calendar, inp, at)
    if clock.state in ("stopped", "met", "paused"):
        raise DomainError(
            "extension.not_running", f"the decision period is {clock.state}; it cannot be extended"
        )
    if rule.extend_before_due and (clock.state == "breached" or at > clock.due_at):
        raise DomainError(
            "extension.after_deadline",
            f"the decision period ended at {clock.due_at.isoformat()}; extend it before it ends",
            field="at",
        )
    if clock.extension_level >= level:
        raise DomainError(
            "extension.already_at_level",
            f"the period is already extended to level {clock.extension_level}",
            field="level",
        )
    ext = rule.extension(level)
    if ext.requires_level is not None and clock.extension_level < ext.requires_level:
        raise DomainError(
            f"extension.l{level}_requires_l{ext.requires_level}",
            f"a level-{level} extension needs the level-{ext.requires_level} extension first",
            field="level",
        )
    if ext.days_from_receipt > rule.max_days:
        raise DomainError(
            "extension.max_days",
            f"a period of {ext.days_from_receipt} days exceeds the maximum of {rule.max_days}",
            field="level",
        )


def check_extension(
    profile: Profile,
    calendar: WorkCalendar,
    inp: DeadlineInput,
    level: int,
    at: datetime,
    approver_role: str,
) -> None:
    """Refuse an extension of the decision period that 办法 第十八条第一款 or the profile does not allow.

    ``at`` is the real-world moment the extension was decided (the period is judged as it stood
    then). Raises :class:`DomainError` with the rule that failed: the period's own
    (:func:`check_extendable`), then the approver's role.
    """
    check_extendable(profile, calendar, inp, level, at)
    ext = profile.decision.extension(level)
    if approver_role not in ext.approver_roles:
        raise DomainError(
            "extension.approver_role",
            f"a level-{level} extension is approved by {' or '.join(sorted(ext.approver_roles))}, "
            f"not {approver_role}",
            field="approver",
        )


def check_pause(
    profile: Profile,
    calendar: WorkCalendar,
    inp: DeadlineInput,
    reason: str,
    external_party: str | None,
    at: datetime,
) -> None:
    """Refuse a pause that 办法 第十八条第二款 does not allow: only for an external appraisal, test or
    evaluation (鉴定、检测、评估), done by a named outside party, while the decision period runs —
    judged at ``at``, when the pause began."""
    rule = profile.pause
    if reason not in rule.reasons:
        raise DomainError(
            "pause.reason_not_allowed",
            f"the period may be paused only for {', '.join(sorted(rule.reasons))}, not {reason!r}",
            field="reason",
        )
    if rule.requires_external_party and not (external_party or "").strip():
        raise DomainError(
            "pause.external_party_required", "name the external party doing the work", field="external_party"
        )
    if inp.kind_of_case not in DECISION_CASE_KINDS:
        raise DomainError(
            "pause.not_applicable", f"a {inp.kind_of_case} case has no decision period to pause"
        )
    check_moment(inp, at)
    clock = _decision_clock(profile, calendar, inp, at)
    if clock.state == "paused":
        raise DomainError("pause.already_paused", "the decision period is already paused")
    if clock.state in ("stopped", "met"):
        raise DomainError("pause.not_running", f"the decision period is {clock.state}; it cannot be paused")
    if clock.state == "breached" or at > clock.due_at:
        raise DomainError(
            "pause.after_deadline", f"the decision period ended at {clock.due_at.isoformat()}", field="at"
        )


def check_resume(profile: Profile, calendar: WorkCalendar, inp: DeadlineInput, at: datetime) -> None:
    """Refuse a resume when the decision period is not paused, or one dated before its pause."""
    if inp.kind_of_case not in DECISION_CASE_KINDS:
        raise DomainError("pause.not_paused", f"a {inp.kind_of_case} case has no decision period")
    # Every event on record, not only those before ``at``: a resume dated before its pause is named
    # as such. Whether a period is paused does not depend on the moment it is read.
    clock = next(d for d in compute_deadlines(profile, calendar, inp, at) if d.kind == DECISION)
    if clock.state != "paused" or clock.paused_since is None:
        raise DomainError("pause.not_paused", "the decision period is not paused")
    if at < clock.paused_since:
        raise DomainError(
            "pause.resume_before_pause",
            f"the pause began at {clock.paused_since.isoformat()}; it cannot end before that",
            field="at",
        )
    check_moment(inp, at)
