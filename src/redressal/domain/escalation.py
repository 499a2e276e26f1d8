"""Where a case may be escalated (SPEC §7: up the line, or across to a head-office department).

Up is any unit above the case's unit on its own line; across is a department. A branch's outlet, or
another branch altogether, is neither: moving a case there would hand it to people outside the line
that answers for it. The web form offers what :func:`escalation_targets` lists, and the service
refuses anything :func:`check_escalation_target` refuses, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from redressal.domain.errors import DomainError

DEPARTMENT = "department"


@dataclass(frozen=True)
class UnitRef:
    """A unit as the rule needs it: its code, materialised path ("/HO/BJ/") and kind."""

    code: str
    path: str
    kind: str


def may_escalate_to(current: UnitRef, target: UnitRef) -> bool:
    if target.path == current.path:
        return False
    return current.path.startswith(target.path) or target.kind == DEPARTMENT


def escalation_targets(current: UnitRef, units: Iterable[UnitRef]) -> list[UnitRef]:
    """The units a case of ``current`` may be escalated to, in tree order."""
    return sorted((u for u in units if may_escalate_to(current, u)), key=lambda u: u.path)


def check_escalation_target(current: UnitRef, target: UnitRef) -> None:
    if target.path == current.path:
        raise DomainError("same_unit", "the case is already with that unit", field="to_unit")
    if not may_escalate_to(current, target):
        raise DomainError(
            "escalation.target",
            f"a case of {current.code} is escalated up its own line or to a department, not to {target.code}",
            field="to_unit",
        )
