"""QA sampling (质检抽样, SPEC §12): which closed cases of a month an inspector looks at.

SPEC §12 sets the defaults: a random 5 % of each handler's closed cases a month and every case whose
review (核查) overturned the decision; the issue adds every P1 case. The random part is drawn from a
hash of (month, handler, case number), so drawing the same month again picks the same cases — a
re-run, a second scheduler or a button pressed twice never changes the sample.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from redressal.domain.errors import DomainError

# Why a case is in the sample; a case may be there for several reasons.
RANDOM = "random"
OVERTURNED = "overturned"
P1 = "p1"
REASONS = (RANDOM, OVERTURNED, P1)


@dataclass(frozen=True)
class SamplingRule:
    """The configurable rule (the ``quality`` app stores versions of it; this is the default)."""

    percent: Decimal = Decimal("5")  # of each handler's closed cases in the month
    min_per_handler: int = 1  # at least this many per handler who closed any case
    include_overturned: bool = True  # every case whose review overturned the decision (SPEC §12: 100 %)
    include_p1: bool = True  # every P1 case closed in the month

    def check(self) -> None:
        if not Decimal("0") <= self.percent <= Decimal("100"):
            raise DomainError("sampling.percent", "the sampled share is 0 to 100 %", field="percent")
        if not 0 <= self.min_per_handler <= 50:
            raise DomainError("sampling.minimum", "the minimum per handler is 0 to 50", field="min_per_handler")


DEFAULT_RULE = SamplingRule()


@dataclass(frozen=True)
class Candidate:
    """A primary case closed in the month, with the staff member who decided it (its handler)."""

    case_id: int
    case_number: str
    handler_id: int
    priority: str


@dataclass(frozen=True)
class Pick:
    case_id: int
    handler_id: int
    reasons: tuple[str, ...]


def draw_key(month: str, handler_id: int, case_number: str) -> str:
    """The sort key of the random draw: stable for (month, handler, case), unrelated to anything else."""
    return hashlib.sha256(f"qa:{month}:{handler_id}:{case_number}".encode()).hexdigest()


def random_quota(closed: int, rule: SamplingRule) -> int:
    """How many of a handler's ``closed`` cases the random part draws: the share rounded half up, at
    least the minimum, at most all of them."""
    if closed <= 0:
        return 0
    share = (Decimal(closed) * rule.percent / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(closed, max(int(share), rule.min_per_handler))


def select_sample(
    month: str,
    candidates: Iterable[Candidate],
    overturned: Mapping[int, int],
    rule: SamplingRule = DEFAULT_RULE,
) -> list[Pick]:
    """The month's sample. ``candidates``: the month's closed primary cases; ``overturned``: {case id:
    handler id} of the cases whose review overturned the decision in the month (closed then or before).
    Returns one pick per case, ordered by case id, each with every reason it was picked."""
    rule.check()
    by_handler: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_handler.setdefault(c.handler_id, []).append(c)
    reasons: dict[int, list[str]] = {}
    handler_of: dict[int, int] = {}
    for handler_id, cases in by_handler.items():
        ranked = sorted(cases, key=lambda c: draw_key(month, handler_id, c.case_number))
        for c in ranked[: random_quota(len(cases), rule)]:
            reasons.setdefault(c.case_id, []).append(RANDOM)
            handler_of[c.case_id] = handler_id
        if rule.include_p1:
            for c in cases:
                if c.priority == "P1":
                    reasons.setdefault(c.case_id, []).append(P1)
                    handler_of[c.case_id] = handler_id
    if rule.include_overturned:
        for case_id, handler_id in overturned.items():
            reasons.setdefault(case_id, []).append(OVERTURNED)
            handler_of.setdefault(case_id, handler_id)
    return [Pick(case_id, handler_of[case_id], tuple(reasons[case_id])) for case_id in sorted(reasons)]
