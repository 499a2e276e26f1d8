"""Four eyes on role grants and password resets (SPEC §1, §13): two administrators, never for oneself.

Every role carries either case content, personal data, or the power to change who sees them (admin),
so every grant goes through this: one administrator asks, a second, different one approves.
"""

from __future__ import annotations

from redressal.domain.errors import DomainError


def check_grant_request(requester_id: int, grantee_id: int) -> None:
    if requester_id == grantee_id:
        raise DomainError("grant.self", "nobody may request a role for themselves", field="staff")


def check_grant_decision(decider_id: int, requester_id: int, grantee_id: int, *, approve: bool) -> None:
    """The grantee never decides their own grant; the requester may withdraw (reject) but not approve."""
    if decider_id == grantee_id:
        raise DomainError("grant.self", "nobody may decide a role grant for themselves", field="staff")
    if approve and decider_id == requester_id:
        raise DomainError(
            "grant.four_eyes", "a role grant is approved by a second administrator, not its requester",
            field="approver",
        )


def check_reset_request(requester_id: int, staff_id: int) -> None:
    """A password reset is for someone else: one's own password is changed knowing the current one."""
    if requester_id == staff_id:
        raise DomainError("reset.self", "nobody may reset their own password through a request", field="staff")


def check_reset_decision(decider_id: int, requester_id: int, staff_id: int, *, approve: bool) -> None:
    """As for role grants: the approver is a second administrator, and never the account's owner
    (whoever sees the temporary password could sign in as its owner)."""
    if decider_id == staff_id:
        raise DomainError("reset.self", "nobody may decide a password reset of their own", field="staff")
    if approve and decider_id == requester_id:
        raise DomainError(
            "reset.four_eyes", "a password reset is approved by a second administrator, not its requester",
            field="approver",
        )
