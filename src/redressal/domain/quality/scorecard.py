"""The monthly service scorecard (服务质量考核, SPEC §12): four dimensions, each on 0–100, their
weighted total and the "service stars" (服务之星, the seeds' 客户服务之星评选).

A formula is versioned like a profile (domain/profiles): each version names the first month it
scores (``in_force_from``) and a month is scored with the newest version in force for it
(``version_for``), shown with the figures; so changing a weight never rewrites a closed month — a new
version is added to ``FORMULAS`` from a later month, the old one stays.

The facts are counted over the staff member's cases closed in the month (the case's decision or
answer was theirs), as of the month's end:

* satisfaction: the complainant's ratings — the CSAT given at closing and the follow-up visit's
  satisfaction (回访), each 1–5 mapped to 0–100 by (r − 1) × 25; a feedback result without a CSAT
  counts as 满意 100, 基本满意 75, 不满意 0 (unreachable says nothing). The mean of all ratings.
* efficiency: 30 % the share of first contacts within their deadline (受理 within one working day),
  30 % the decision speed — 100 at a mean of ``fast_days`` from receipt to the notice or less, 0 at the
  regulatory ``limit_days`` (15) or more, linear between — and 40 % the share decided on time.
* accuracy: 100 × (1 − (0.4 × reopen rate + 0.4 × review-overturn rate + 0.2 × reclassification
  rate)); a reclassification is a B/C code confirmed by staff and later changed (a correction of the
  staff's classification, not of the classifier's suggestion, which is the machine's error).
* professionalism: the mean weighted total of the month's QA inspections of their cases (final scores).

A dimension without facts (no rating, no inspection) is left out and the others' weights are scaled
up to sum to one; the stars come from the total by thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from redressal.domain.errors import DomainError

DIMENSIONS = ("satisfaction", "efficiency", "accuracy", "professionalism")
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Formula:
    version: int
    weights: dict[str, Decimal]  # per dimension, summing to 1
    star_thresholds: tuple[Decimal, ...]  # the total needed for 2, 3, 4, 5 stars (1 star below)
    in_force_from: str = "2000-01"  # the first month (YYYY-MM) scored with this version
    fast_days: Decimal = Decimal(5)
    limit_days: Decimal = Decimal(15)  # 办法: a complaint is decided within 15 days
    contact_weight: Decimal = Decimal("0.3")
    speed_weight: Decimal = Decimal("0.3")
    on_time_weight: Decimal = Decimal("0.4")
    reopen_weight: Decimal = Decimal("0.4")
    overturn_weight: Decimal = Decimal("0.4")
    reclass_weight: Decimal = Decimal("0.2")


FORMULAS: dict[int, Formula] = {
    1: Formula(
        version=1,
        weights={
            "satisfaction": Decimal("0.30"),
            "efficiency": Decimal("0.25"),
            "accuracy": Decimal("0.25"),
            "professionalism": Decimal("0.20"),
        },
        star_thresholds=(Decimal(60), Decimal(70), Decimal(80), Decimal(90)),
    ),
}
CURRENT_VERSION = 1


def version_for(month: str) -> int:
    """The version in force for ``month``: the newest whose first month is not after it, so a month
    already closed keeps the formula it was scored with when a new version is added."""
    eligible = [f.version for f in FORMULAS.values() if f.in_force_from <= month]
    if not eligible:
        raise DomainError("scorecard.version", f"no scorecard formula in force for {month}", field="month")
    return max(eligible)


def formula(version: int = CURRENT_VERSION) -> Formula:
    try:
        return FORMULAS[version]
    except KeyError:
        raise DomainError("scorecard.version", f"no scorecard formula version {version}", field="version") from None


@dataclass
class Facts:
    """What is counted for one person (or pooled for a team or unit) over one month."""

    cases: int = 0  # primary cases closed in the month, decided or answered by them
    ratings: list[int] = field(default_factory=list)  # each on 0–100 (see ``rating``)
    contacts: int = 0  # cases with a first-contact deadline …
    contacts_on_time: int = 0  # … met
    decision_days: list[Decimal] = field(default_factory=list)  # receipt → notice, per decided case
    decided: int = 0
    decided_on_time: int = 0
    reopened: int = 0
    overturned: int = 0
    reclassified: int = 0
    qa_totals: list[Decimal] = field(default_factory=list)

    def add(self, other: Facts) -> None:
        self.cases += other.cases
        self.ratings += other.ratings
        self.contacts += other.contacts
        self.contacts_on_time += other.contacts_on_time
        self.decision_days += other.decision_days
        self.decided += other.decided
        self.decided_on_time += other.decided_on_time
        self.reopened += other.reopened
        self.overturned += other.overturned
        self.reclassified += other.reclassified
        self.qa_totals += other.qa_totals


FEEDBACK_RATING = {"satisfied": 100, "basically_satisfied": 75, "dissatisfied": 0}


def rating(score: int) -> int:
    """A 1–5 satisfaction score on 0–100."""
    if not 1 <= score <= 5:
        raise DomainError("out_of_range", "satisfaction is scored 1 to 5", field="satisfaction")
    return (score - 1) * 25


@dataclass(frozen=True)
class Scorecard:
    version: int
    cases: int
    dimensions: dict[str, Decimal | None]  # None: no facts for that dimension this month
    total: Decimal | None
    stars: int  # 0 when there is no total


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole)


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(_HUNDRED, value))


def efficiency(facts: Facts, f: Formula) -> Decimal | None:
    parts: list[tuple[Decimal, Decimal]] = []
    if facts.contacts:
        parts.append((f.contact_weight, _HUNDRED * _share(facts.contacts_on_time, facts.contacts)))
    if facts.decision_days:
        mean = sum(facts.decision_days, Decimal(0)) / len(facts.decision_days)
        parts.append((f.speed_weight, _clamp(_HUNDRED * (f.limit_days - mean) / (f.limit_days - f.fast_days))))
    if facts.decided:
        parts.append((f.on_time_weight, _HUNDRED * _share(facts.decided_on_time, facts.decided)))
    if not parts:
        return None
    weight = sum((w for w, _ in parts), Decimal(0))
    return _q(sum((w * v for w, v in parts), Decimal(0)) / weight)


def accuracy(facts: Facts, f: Formula) -> Decimal | None:
    if not facts.cases:
        return None
    errors = (
        f.reopen_weight * _share(facts.reopened, facts.cases)
        + f.overturn_weight * _share(facts.overturned, facts.cases)
        + f.reclass_weight * _share(facts.reclassified, facts.cases)
    )
    return _q(_clamp(_HUNDRED * (_ONE - errors)))


def score(facts: Facts, version: int = CURRENT_VERSION) -> Scorecard:
    f = formula(version)
    dims: dict[str, Decimal | None] = {
        "satisfaction": _q(Decimal(sum(facts.ratings)) / len(facts.ratings)) if facts.ratings else None,
        "efficiency": efficiency(facts, f),
        "accuracy": accuracy(facts, f),
        "professionalism": (_q(sum(facts.qa_totals, Decimal(0)) / len(facts.qa_totals)) if facts.qa_totals else None),
    }
    present = {d: v for d, v in dims.items() if v is not None}
    if not present:
        return Scorecard(version=f.version, cases=facts.cases, dimensions=dims, total=None, stars=0)
    weight = sum((f.weights[d] for d in present), Decimal(0))
    total = _q(sum((f.weights[d] * v for d, v in present.items()), Decimal(0)) / weight)
    return Scorecard(version=f.version, cases=facts.cases, dimensions=dims, total=total, stars=stars(total, f))


def stars(total: Decimal, f: Formula) -> int:
    """1 star below the first threshold, one more for each threshold reached (5 at most)."""
    return 1 + sum(1 for t in f.star_thresholds if total >= t)
