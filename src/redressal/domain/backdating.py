"""Late recording (补录): an action typed in well after it happened must say why.

Every case action carries ``at``, the real-world moment it happened, beside ``recorded_at``, the
moment it was typed in (ARCHITECTURE §3). The rules judge ``at`` (SPEC §14), so recording late is
allowed — a letter opened on Monday about a call on Friday — but it must never be silent: an action
recorded more than one working day after its ``at`` needs a reason, and compliance sees the list.

"More than one working day after": ``recorded_at`` is later than the same local time on the first
working day after the day of ``at`` (the start day is not counted, 民法典 第二百零一条; a 调休
Saturday is a working day, a holiday is not). An action on Friday 17:00 may be typed in until
Monday 17:00; one on the Saturday of a holiday week until the same hour of the first working day.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from redressal.domain.calendar import WorkCalendar
from redressal.domain.errors import DomainError

# How many working days an action may wait to be recorded without a reason.
GRACE_WORKING_DAYS = 1


def recording_deadline(calendar: WorkCalendar, tz: tzinfo, at: datetime) -> datetime:
    """The last moment ``at`` may be recorded without a reason."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be timezone-aware")
    local = at.astimezone(tz)
    day = calendar.add_working_days(local.date(), GRACE_WORKING_DAYS)
    return datetime.combine(day, local.timetz())


def is_backdated(calendar: WorkCalendar, tz: tzinfo, at: datetime, recorded_at: datetime) -> bool:
    """Recorded more than one working day after it happened."""
    return recorded_at > recording_deadline(calendar, tz, at)


def check_backdate(calendar: WorkCalendar, tz: tzinfo, at: datetime, recorded_at: datetime, reason: str) -> bool:
    """Whether the action is backdated; refuse a backdated one without a reason."""
    if not is_backdated(calendar, tz, at, recorded_at):
        return False
    if not reason.strip():
        deadline = recording_deadline(calendar, tz, at).astimezone(tz)
        raise DomainError(
            "backdate.reason_required",
            f"an action of {at.astimezone(tz).isoformat()} recorded after {deadline.isoformat()} "
            "(more than one working day later) needs a reason for the late recording",
            field="backdate_reason",
        )
    return True
