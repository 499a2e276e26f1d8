"""Recusal (回避, SPEC §7): nobody handles a complaint about themselves or their own people.

The staff member complained about, and anyone within ``depth`` steps of them in the reporting
line (their managers, and the people who report to them), may not accept, be assigned, approve or
review the case.
"""

from __future__ import annotations

from collections.abc import Mapping

from redressal.domain.errors import DomainError


def reporting_chain(staff_id: int, manager_of: Mapping[int, int | None], depth: int) -> set[int]:
    """``staff_id``'s managers up to ``depth`` levels."""
    out: set[int] = set()
    current: int | None = staff_id
    for _ in range(depth):
        current = manager_of.get(current) if current is not None else None
        if current is None:
            break
        out.add(current)
    return out


def conflicted_staff(respondent_id: int | None, manager_of: Mapping[int, int | None], depth: int) -> set[int]:
    if respondent_id is None:
        return set()
    conflicted = {respondent_id} | reporting_chain(respondent_id, manager_of, depth)
    # Direct reports of the respondent, to the same depth.
    frontier = {respondent_id}
    for _ in range(depth):
        frontier = {s for s, m in manager_of.items() if m in frontier}
        conflicted |= frontier
    return conflicted


def check_recusal(
    candidate_id: int, respondent_id: int | None, manager_of: Mapping[int, int | None], depth: int = 1
) -> None:
    if candidate_id in conflicted_staff(respondent_id, manager_of, depth):
        raise DomainError(
            "recusal.conflict",
            "this person is the staff member complained about or in their reporting line and must recuse",
            field="assignee",
        )


def check_review_independence(
    reviewer_id: int, original_people: set[int], manager_of: Mapping[int, int | None], depth: int = 1
) -> None:
    """A review (核查) is decided by someone outside the original handling (SPEC §4)."""
    blocked = set(original_people)
    for person in original_people:
        blocked |= reporting_chain(person, manager_of, depth)
    if reviewer_id in blocked:
        raise DomainError(
            "review.independence",
            "the reviewer must not be the original handler, approver or in the original handler's reporting line",
            field="reviewer",
        )
