"""Follow-up visits (回访, SPEC §4): who must be visited after closing, and who is sampled."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from redressal.domain.profiles import Profile


@dataclass(frozen=True)
class VisitPlan:
    needed: bool
    mandatory: bool


def visit_plan(
    profile: Profile, *, case_number: str, priority: str, vulnerable: list[str], compensated: bool
) -> VisitPlan:
    """Mandatory for the profile's priorities and flags (P1/P2, elderly, compensation in CN-2020-3);
    otherwise a stable sample: the same case is always in or out, so a rerun never changes the plan."""
    marks = {priority, *vulnerable} | ({"compensation"} if compensated else set())
    mandatory = bool(marks & profile.follow_up.mandatory_for)
    bucket = int(hashlib.sha256(case_number.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return VisitPlan(needed=mandatory or bucket < profile.follow_up.sample_rate, mandatory=mandatory)
