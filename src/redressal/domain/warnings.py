"""Deadline warnings (SPEC §5, §10): what each is called, which mean "at risk", and who hears of them.

Each warning moment widens the audience one step up the reporting line, so a case nobody acts on
reaches someone with the authority to act before it is overdue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from redressal.domain.profiles import WarningRule

BREACH = "breach"

# SPEC §5 warns at 50 % and 80 % of the period, N days before the due date, and at the breach. The
# half-time warning is an early reminder; from 80 % of the period on (and on every "N days before due"
# warning) the case is *at risk* (临近超时) until it is decided or overdue, which is its own list.
AT_RISK_FROM_FRACTION = 0.8


def fraction_label(fraction: float) -> str:
    """The warning at this share of the period elapsed: 0.8 → "80%"."""
    return f"{round(fraction * 100)}%"


def days_label(days: int) -> str:
    """The warning N days before the due moment: 2 → "2d"."""
    return f"{days}d"


class Stage(StrEnum):
    """How far along its period a warning finds a case; the audience and the escalation follow it."""

    EARLY = "early"  # a reminder: the half-time warning and any other fraction below 80 %
    AT_RISK = "at_risk"  # 临近超时: fractions from 80 % on, every "N days before due" warning
    BREACH = "breach"


def _fraction_of(label: str) -> float | None:
    return int(label[:-1]) / 100 if label.endswith("%") else None


def is_days_before_due(label: str) -> bool:
    """Whether the warning counts days back from the due moment rather than a share of the period."""
    return label.endswith("d") and label[:-1].isdigit()


def warning_stage(label: str) -> Stage:
    """The stage of a warning named by ``fraction_label``, ``days_label`` or ``BREACH``."""
    if label == BREACH:
        return Stage.BREACH
    fraction = _fraction_of(label)
    if fraction is not None:
        # Compared on the label, which is what is stored: 0.795 is "80%" and at risk like it.
        return Stage.AT_RISK if fraction >= AT_RISK_FROM_FRACTION else Stage.EARLY
    if is_days_before_due(label):
        return Stage.AT_RISK
    raise ValueError(f"not a warning label: {label!r}")


_STAGE_RANK = {Stage.EARLY: 0, Stage.AT_RISK: 1, Stage.BREACH: 2}


def superseded(moments: Mapping[str, datetime], now: datetime) -> frozenset[str]:
    """The warnings of one due moment not to deliver at ``now``: those whose next stage's moment has come
    too. A sweep that first runs when a case is already overdue (the scheduler was down, the case was
    registered late) tells of the breach alone, not of a "50 %" reminder about a case weeks past its
    due date; the next stage says everything the earlier one would have. ``moments`` maps each label
    (``fraction_label``, ``days_label``, ``BREACH``) to its moment; of those come by ``now`` all but the
    latest are superseded (on a tie, the stronger stage is the one delivered)."""
    come = sorted(
        (moment, _STAGE_RANK[warning_stage(label)], label) for label, moment in moments.items() if moment <= now
    )
    return frozenset(label for _moment, _rank, label in come[:-1])


# The countdown a list shows for a decision clock: how far it has come, by the warnings come so far.
COUNTDOWN_LEVELS = ("none", "w50", "w80", "w2d", "breached")


def countdown_key(label: str) -> str | None:
    """The countdown level a warning turns on: w50 early, w80 at risk by share of the period, w2d at
    risk by days before due (the strongest), none for the breach (the due moment itself says so)."""
    stage = warning_stage(label)
    if stage is Stage.EARLY:
        return "w50"
    if stage is Stage.AT_RISK:
        return "w2d" if is_days_before_due(label) else "w80"
    return None


def countdown_level(due: datetime | None, settled: bool, moments: Mapping[str, datetime], now: datetime) -> str:
    """Where the decision clock of a case stands (:data:`COUNTDOWN_LEVELS`): none once ``settled``
    (decided or closed) or without a due moment, breached past it, else the strongest level whose
    moment has come (``moments``: each level's first warning moment for the current due)."""
    if settled or due is None:
        return "none"
    if due <= now:
        return "breached"
    level = "none"
    for key in ("w50", "w80", "w2d"):
        if key in moments and moments[key] <= now:
            level = key
    return level


def warning_labels(rule: WarningRule) -> frozenset[str]:
    """The labels of a profile's warnings short of the breach."""
    return frozenset([*(fraction_label(f) for f in rule.fractions), *(days_label(d) for d in rule.days_before_due)])


def at_risk_labels(rule: WarningRule) -> frozenset[str]:
    """The labels of a profile's warnings that put a case at risk once their moment has come."""
    return frozenset(label for label in warning_labels(rule) if warning_stage(label) is Stage.AT_RISK)


class Audience(StrEnum):
    ASSIGNEE = "assignee"
    SUPERVISOR = "supervisor"  # the assignee's manager
    BRANCH_HEAD = "branch_head"  # the supervisor's manager
    UNIT_SUPERVISORS = "unit_supervisors"  # while nobody is assigned


LADDER: dict[Stage, tuple[Audience, ...]] = {
    Stage.EARLY: (Audience.ASSIGNEE,),
    Stage.AT_RISK: (Audience.ASSIGNEE, Audience.SUPERVISOR),
    Stage.BREACH: (Audience.ASSIGNEE, Audience.SUPERVISOR, Audience.BRANCH_HEAD),
}


def warning_audience(label: str, *, assigned: bool) -> tuple[Audience, ...]:
    """Who is told at this warning moment; an unassigned case goes to its unit's supervisors."""
    if not assigned:
        return (Audience.UNIT_SUPERVISORS,)
    return LADDER[warning_stage(label)]
