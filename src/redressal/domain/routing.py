"""Routing and assignment (SPEC §7): which team gets a case, and who in it.

1. Rules are tried in order; the first whose every condition holds names the target unit (team) and,
   optionally, a skill the handler must have. An empty condition matches anything.
2. Within the team: among the members who are available (not away, not absent today, below their
   capacity cap), have the skill, and need not recuse (回避), the least loaded wins — load being their
   open cases weighted by priority. Ties go round-robin: to the one whose last assignment is oldest
   (never assigned counts as oldest), then by id so the choice is always the same for the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class CaseFacts:
    channel: str = ""
    source: str = ""
    request_type: str = ""
    business: str = ""  # JR/T 0169 B code (confirmed, else suggested)
    cause: str = ""  # C code
    product: str = ""
    unit: str = ""  # unit code of the receiving unit
    priority: str = ""
    risk_flags: frozenset[str] = frozenset()
    vulnerable: frozenset[str] = frozenset()
    language: str = ""


@dataclass(frozen=True)
class Rule:
    name: str
    order: int
    target_unit: str = ""  # "" keeps the case where it is
    required_skill: str = ""
    channels: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    request_types: frozenset[str] = frozenset()
    business_codes: frozenset[str] = frozenset()  # a code matches itself and its children (B03 ⊇ B0302)
    cause_codes: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    priorities: frozenset[str] = frozenset()
    risk_flags: frozenset[str] = frozenset()  # any of them
    vulnerable: frozenset[str] = frozenset()  # any of them; {"*"} = any vulnerable flag
    languages: frozenset[str] = frozenset()

    def matches(self, facts: CaseFacts) -> bool:
        def one(allowed: frozenset[str], value: str) -> bool:
            return not allowed or value in allowed

        def code(allowed: frozenset[str], value: str) -> bool:
            return not allowed or any(value.startswith(prefix) for prefix in allowed if value)

        def any_of(allowed: frozenset[str], values: frozenset[str]) -> bool:
            if not allowed:
                return True
            return bool(values) if "*" in allowed else bool(allowed & values)

        return (
            one(self.channels, facts.channel)
            and one(self.sources, facts.source)
            and one(self.request_types, facts.request_type)
            and code(self.business_codes, facts.business)
            and code(self.cause_codes, facts.cause)
            and one(self.products, facts.product)
            and one(self.units, facts.unit)
            and one(self.priorities, facts.priority)
            and any_of(self.risk_flags, facts.risk_flags)
            and any_of(self.vulnerable, facts.vulnerable)
            and one(self.languages, facts.language)
        )


def first_match(rules: Iterable[Rule], facts: CaseFacts) -> Rule | None:
    for rule in sorted(rules, key=lambda r: (r.order, r.name)):
        if rule.matches(facts):
            return rule
    return None


@dataclass(frozen=True)
class Member:
    staff_id: int
    username: str
    skills: frozenset[str] = frozenset()
    available: bool = True
    absent_until: date | None = None  # absent up to and including this day
    capacity: int = 40
    open_cases: int = 0
    load: int = 0  # open cases weighted by priority
    last_assigned_at: datetime | None = None


@dataclass(frozen=True)
class Choice:
    member: Member | None
    # Why each other member was passed over, for the event and for a supervisor wondering.
    skipped: Mapping[str, str] = field(default_factory=dict)


def weighted_load(open_by_priority: Mapping[str, int], weights: Mapping[str, int]) -> int:
    return sum(weights.get(priority, 1) * n for priority, n in open_by_priority.items())


# Who is given cases (SPEC §1): handlers work the cases assigned to them. A supervisor assigns (and
# takes a case herself by accepting it), a branch head approves and receives escalations: neither is
# offered as an assignee. A review (核查) is decided outside the original handling, often by the
# superior unit's supervisor (SPEC §4), so supervisors may be given reviews.
ASSIGNEE_ROLES = frozenset({"handler"})
REVIEW_ASSIGNEE_ROLES = frozenset({"handler", "supervisor"})


def unavailable_because(m: Member, today: date, conflicted: frozenset[int] = frozenset()) -> str:
    """Why ``m`` cannot take a case today (recusal, away, absent), or "" when they can."""
    if m.staff_id in conflicted:
        return "recusal"
    if not m.available:
        return "unavailable"
    if m.absent_until is not None and m.absent_until >= today:
        return "absent"
    return ""


def assignment_refusal(
    m: Member, *, roles: Iterable[str], review: bool, today: date, conflicted: frozenset[int] = frozenset()
) -> str:
    """Why a supervisor may not give the case to ``m`` by hand ("" = she may).

    ``roles`` are m's roles covering the case's unit. Unlike routing, a person at their capacity cap
    may still be chosen by hand: the list shows each one's load so the supervisor can judge (§7 override).
    """
    if not set(roles) & (REVIEW_ASSIGNEE_ROLES if review else ASSIGNEE_ROLES):
        return "role"
    return unavailable_because(m, today, conflicted)


def choose_assignee(
    members: Iterable[Member], *, today: date, required_skill: str = "", conflicted: frozenset[int] = frozenset()
) -> Choice:
    skipped: dict[str, str] = {}
    eligible: list[Member] = []
    for m in members:
        why = unavailable_because(m, today, conflicted)
        if why:
            skipped[m.username] = why
        elif m.open_cases >= m.capacity:
            skipped[m.username] = "at_capacity"
        elif required_skill and required_skill not in m.skills:
            skipped[m.username] = "skill"
        else:
            eligible.append(m)
    if not eligible:
        return Choice(None, skipped)
    never = datetime.min

    def key(m: Member) -> tuple[int, datetime, int]:
        last = m.last_assigned_at.replace(tzinfo=None) if m.last_assigned_at else never
        return (m.load, last, m.staff_id)

    return Choice(min(eligible, key=key), skipped)
