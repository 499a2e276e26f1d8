"""Four eyes on role grants and password resets (SPEC §1, §13): two administrators, never for oneself.

Every role carries either case content, personal data, or the power to change who sees them (admin),
so every grant goes through this: one administrator asks, a second, different one approves. A password
reset is the same: whoever knows a person's password can act with that person's roles. The two kinds
differ only in their name, which prefixes the refusal codes ("grant.self", "reset.four_eyes").
"""

from __future__ import annotations

from enum import StrEnum

from redressal.domain.errors import DomainError


class FourEyes(StrEnum):
    GRANT = "grant"  # a role for a staff member
    RESET = "reset"  # a staff member's password


def check_request(kind: FourEyes, requester_id: int, subject_id: int) -> None:
    """Nobody asks for a role or a password reset of their own (one's own password is changed knowing
    the current one)."""
    if requester_id == subject_id:
        raise DomainError(f"{kind}.self", f"nobody may request a {kind} for themselves", field="staff")


def check_decision(kind: FourEyes, decider_id: int, requester_id: int, subject_id: int, *, approve: bool) -> None:
    """The subject never decides their own request (whoever sees a temporary password could sign in as its
    owner); the requester may withdraw (reject) but not approve it."""
    if decider_id == subject_id:
        raise DomainError(f"{kind}.self", f"nobody may decide a {kind} of their own", field="staff")
    if approve and decider_id == requester_id:
        raise DomainError(
            f"{kind}.four_eyes", f"a {kind} is approved by a second administrator, not its requester",
            field="approver",
        )
