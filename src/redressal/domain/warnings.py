"""Who hears of a deadline as it approaches and when it is missed (SPEC §5, §10).

Each warning moment widens the audience one step up the reporting line, so a case nobody acts on
reaches someone with the authority to act before it is overdue.
"""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    ASSIGNEE = "assignee"
    SUPERVISOR = "supervisor"  # the assignee's manager
    BRANCH_HEAD = "branch_head"  # the supervisor's manager
    UNIT_SUPERVISORS = "unit_supervisors"  # while nobody is assigned


LADDER: dict[str, tuple[Audience, ...]] = {
    "50%": (Audience.ASSIGNEE,),
    "80%": (Audience.ASSIGNEE, Audience.SUPERVISOR),
    "2d": (Audience.ASSIGNEE, Audience.SUPERVISOR),
    "breach": (Audience.ASSIGNEE, Audience.SUPERVISOR, Audience.BRANCH_HEAD),
}


def warning_audience(label: str, *, assigned: bool) -> tuple[Audience, ...]:
    """Who is told at this warning moment; an unassigned case goes to its unit's supervisors."""
    if not assigned:
        return (Audience.UNIT_SUPERVISORS,)
    return LADDER.get(label, LADDER["breach"])
