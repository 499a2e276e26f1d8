"""Deadline warnings (SPEC §5, §10): what each is called, which mean "at risk", and who hears of them.

Each warning moment widens the audience one step up the reporting line, so a case nobody acts on
reaches someone with the authority to act before it is overdue.
"""

from __future__ import annotations

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


def at_risk_labels(rule: WarningRule) -> frozenset[str]:
    """The labels of a profile's warnings that put a case at risk once their moment has come: every
    warning short of the breach except the early ones (fractions below 80 %)."""
    late = (fraction_label(f) for f in rule.fractions if f >= AT_RISK_FROM_FRACTION)
    return frozenset([*late, *(days_label(d) for d in rule.days_before_due)])


class Audience(StrEnum):
    ASSIGNEE = "assignee"
    SUPERVISOR = "supervisor"  # the assignee's manager
    BRANCH_HEAD = "branch_head"  # the supervisor's manager
    UNIT_SUPERVISORS = "unit_supervisors"  # while nobody is assigned


LADDER: dict[str, tuple[Audience, ...]] = {
    "50%": (Audience.ASSIGNEE,),
    "80%": (Audience.ASSIGNEE, Audience.SUPERVISOR),
    "2d": (Audience.ASSIGNEE, Audience.SUPERVISOR),
    BREACH: (Audience.ASSIGNEE, Audience.SUPERVISOR, Audience.BRANCH_HEAD),
}


def warning_audience(label: str, *, assigned: bool) -> tuple[Audience, ...]:
    """Who is told at this warning moment; an unassigned case goes to its unit's supervisors."""
    if not assigned:
        return (Audience.UNIT_SUPERVISORS,)
    return LADDER.get(label, LADDER[BREACH])
