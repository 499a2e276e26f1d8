"""Root-cause remediation (溯源整改) and accountability (问责): the pure rules (SPEC §12, issue 15 items 3–4).

The seeds (银行营业网点客户投诉处理, "客户投诉的责任认定" and "客户投诉的分类统计和分析") describe the loop
this models: find the root cause of a kind of complaint ("问题溯源分析从根源分析问题，采取有效措施防范重复
发生"), set improvement measures ("针对性地制定整改措施"), hold the responsible staff to account ("根据问责标准，
采取相应的问责措施") and judge the result ("评估方案执行效果并持续改进"). Here: the states of an issue, of its
actions and of an accountability measure, when an action warns its owner, and the before/after rate by
which the effect is judged. No Django: the services count and store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from redressal.domain.calendar import WorkCalendar
from redressal.domain.choices import gettext_noop
from redressal.domain.errors import DomainError

# An issue: open (being analysed) → in_progress (it has actions) → closed (every action finished).
ISSUE_STATE_LABELS: dict[str, str] = {
    "open": gettext_noop("已立项"),
    "in_progress": gettext_noop("整改中"),
    "closed": gettext_noop("已关闭"),
}
ISSUE_STATES = tuple(ISSUE_STATE_LABELS)

ACTION_STATE_LABELS: dict[str, str] = {
    "open": gettext_noop("进行中"),
    "done": gettext_noop("已完成"),
    "cancelled": gettext_noop("已取消"),
}
ACTION_STATES = tuple(ACTION_STATE_LABELS)
FINISHED_ACTION_STATES = frozenset({"done", "cancelled"})

# Where an issue came from: one case, a mass incident (triage), or a criterion (a report cell: codes,
# a period and a unit).
ISSUE_SOURCE_LABELS: dict[str, str] = {
    "case": gettext_noop("来自工单"),
    "mass_incident": gettext_noop("来自群体性事件"),
    "criterion": gettext_noop("来自统计口径"),
}
ISSUE_SOURCES = tuple(ISSUE_SOURCE_LABELS)

# An accountability measure is ordered, then carried out (or cancelled, with a reason).
MEASURE_STATE_LABELS: dict[str, str] = {
    "ordered": gettext_noop("已决定"),
    "carried_out": gettext_noop("已执行"),
    "cancelled": gettext_noop("已撤销"),
}
MEASURE_STATES = tuple(MEASURE_STATE_LABELS)

# The measures a finding may order on a staff member (the case's own MEASURE_LABELS less "none" and
# "disciplinary", which is decided by the HR process, not the complaint desk).
ACCOUNTABILITY_MEASURES = ("training", "warning", "performance_deduction", "criticism", "other")

# Findings that put a fault on the bank's side: only these name staff to be held to account.
ACCOUNTABLE_FINDINGS = frozenset({"bank", "shared"})

# Warnings to an action's owner: the working day before it falls due, and once it is overdue. One
# notification per action per stage (the key carries the stage).
STAGE_DUE_SOON = "due_soon"
STAGE_OVERDUE = "overdue"

# The effect is judged over windows of this many days before the issue opened and after it closed,
# and the rate is given per 30 days, so windows of different lengths (an issue closed 12 days ago)
# still compare.
EFFECT_WINDOW_DAYS = 180
RATE_PER_DAYS = 30

# The longest "due in N working days" an action may be given (a year of working days).
MAX_DUE_WORKING_DAYS = 250


class ImprovementRefused(DomainError):
    """A rule of this module said no."""


def next_issue_state(current: str, *, any_actions: bool) -> str:
    """The state an issue that is not closed stands in, given its actions."""
    if current == "closed":
        return current
    return "in_progress" if any_actions else "open"


def check_close(state: str, action_states: Iterable[str]) -> None:
    """An issue closes only when it has at least one action and every one is done or cancelled."""
    if state == "closed":
        raise ImprovementRefused("issue.closed", "the issue is already closed", field="state")
    states = list(action_states)
    if not states:
        raise ImprovementRefused("issue.no_actions", "an issue closes with at least one action", field="actions")
    if any(s not in FINISHED_ACTION_STATES for s in states):
        raise ImprovementRefused(
            "issue.actions_open", "every action must be done or cancelled before the issue closes", field="actions"
        )


def check_action_open(state: str) -> None:
    if state != "open":
        raise ImprovementRefused("action.finished", "this action is already done or cancelled", field="action_id")


def check_measure_ordered(state: str) -> None:
    if state != "ordered":
        raise ImprovementRefused(
            "measure.finished", "this measure is already carried out or cancelled", field="measure_id"
        )


def due_after(calendar: WorkCalendar, start: date, working_days: int) -> date:
    """ "Due in N working days" from ``start`` on the bank's calendar (start day not counted)."""
    if not 1 <= working_days <= MAX_DUE_WORKING_DAYS:
        raise ImprovementRefused(
            "due.out_of_range", f"between 1 and {MAX_DUE_WORKING_DAYS} working days", field="due_in_working_days"
        )
    return calendar.add_working_days(start, working_days)


def warning_stage(calendar: WorkCalendar, due: date, today: date) -> str | None:
    """Which warning an open action is at on ``today``: overdue after its due day, due soon on the
    working day before it (or on the day itself), none before."""
    if today > due:
        return STAGE_OVERDUE
    if today == due or calendar.next_working_day(today, inclusive=False) >= due:
        return STAGE_DUE_SOON
    return None


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @property
    def days(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds() / 86400)


def effect_windows(
    opened_at: datetime, closed_at: datetime | None, now: datetime, days: int = EFFECT_WINDOW_DAYS
) -> tuple[Window, Window | None]:
    """The window before the issue opened, and the one after it closed (cut at now; None while open)."""
    before = Window(opened_at - timedelta(days=days), opened_at)
    if closed_at is None or closed_at >= now:
        return before, None
    return before, Window(closed_at, min(closed_at + timedelta(days=days), now))


def rate(count: int, window: Window | None) -> float | None:
    """Cases per 30 days over the window; None when there is no window or it is under a day long."""
    if window is None or window.days < 1:
        return None
    return round(count * RATE_PER_DAYS / window.days, 2)


def change(before: float | None, after: float | None) -> float | None:
    """The relative change of the rate, in percent (−40.0 = 40 % fewer); None when not comparable."""
    if before is None or after is None or before == 0:
        return None
    return round((after - before) * 100 / before, 1)
