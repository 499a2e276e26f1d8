"""The inspection rubric (质检评分表): weighted items, each scored 0 to its maximum, and the weighted
total on 0–100; and the agreement of two inspectors who scored one case independently (calibration).

The default items are the seeds' words for what a complaint's handling is judged on: accepted in time
(受理及时性), investigated enough (调查充分性), a compliant result (处理结果合规性), the manner with the
customer (沟通态度), the complainant told what they must be told — the outcome, its reasons and the ways
to challenge it (告知义务, 办法 on the decision notice), and a complete record (记录完整性).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from redressal.domain.errors import DomainError

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class RubricItem:
    code: str
    label: str  # Chinese, as the bank words it; translated where a page shows a default item
    weight: int  # the item's share of the total, in points out of the weights' sum
    max_score: int = 5  # each item is scored 0 … max_score


@dataclass(frozen=True)
class Rubric:
    items: tuple[RubricItem, ...]

    def check(self) -> None:
        if not 1 <= len(self.items) <= 20:
            raise DomainError("rubric.items", "a rubric has 1 to 20 items", field="items")
        codes = [i.code for i in self.items]
        if len(set(codes)) != len(codes):
            raise DomainError("rubric.duplicate", "each item has its own code", field="items")
        for item in self.items:
            if not _CODE.match(item.code):
                raise DomainError("rubric.code", f"'{item.code}' is not an item code (a-z, 0-9, _)", field="items")
            if not item.label.strip() or len(item.label) > 40:
                raise DomainError("rubric.label", "each item has a label of up to 40 characters", field="items")
            if not 1 <= item.weight <= 100:
                raise DomainError("rubric.weight", "each weight is 1 to 100", field="items")
            if not 1 <= item.max_score <= 10:
                raise DomainError("rubric.max_score", "each item is scored out of 1 to 10", field="items")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items)


DEFAULT_RUBRIC = Rubric(
    items=(
        RubricItem("timeliness", "受理及时性", 15),
        RubricItem("investigation", "调查充分性", 20),
        RubricItem("compliance", "处理结果合规性", 25),
        RubricItem("attitude", "沟通态度", 15),
        RubricItem("disclosure", "告知义务", 15),
        RubricItem("records", "记录完整性", 10),
    )
)

Scores = Mapping[str, int]


def check_scores(rubric: Rubric, scores: Scores) -> None:
    """Every item scored, within its range, and nothing else."""
    for item in rubric.items:
        value = scores.get(item.code)
        if value is None:
            raise DomainError("required", f"score the item '{item.code}'", field=item.code)
        if not 0 <= value <= item.max_score:
            raise DomainError("qa.score_range", f"'{item.code}' is scored 0 to {item.max_score}", field=item.code)
    extra = set(scores) - set(rubric.codes)
    if extra:
        raise DomainError("qa.unknown_item", f"not an item of this rubric: {', '.join(sorted(extra))}", field="scores")


def weighted_total(rubric: Rubric, scores: Scores) -> Decimal:
    """Σ weight × score / max over Σ weight, on 0–100 with one decimal (half up)."""
    check_scores(rubric, scores)
    weights = sum(i.weight for i in rubric.items)
    raw = sum(Decimal(i.weight) * Decimal(scores[i.code]) / Decimal(i.max_score) for i in rubric.items)
    return (raw * 100 / Decimal(weights)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Agreement:
    """How far two inspectors' scores of the same case lie apart.

    Reported as the mean absolute difference per item (in rubric points) and the share of items on
    which they are within one point. Not Cohen's kappa: kappa needs many paired ratings of the same
    item to estimate chance agreement, and a calibration is one case with six items; the mean
    difference and the within-one share read directly on one case and add up over a month.
    """

    items: int
    mean_abs_diff: Decimal
    within_one: Decimal  # share 0–1
    diffs: dict[str, int]


def agreement(rubric: Rubric, a: Scores, b: Scores) -> Agreement:
    check_scores(rubric, a)
    check_scores(rubric, b)
    diffs = {code: abs(a[code] - b[code]) for code in rubric.codes}
    n = len(diffs)
    mad = (Decimal(sum(diffs.values())) / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    within = (Decimal(sum(1 for d in diffs.values() if d <= 1)) / n).quantize(Decimal("0.001"))
    return Agreement(items=n, mean_abs_diff=mad, within_one=within, diffs=diffs)


def pooled_agreement(pairs: Sequence[Agreement]) -> Agreement | None:
    """The month's figure over every calibrated case: the item differences pooled."""
    diffs = [d for p in pairs for d in p.diffs.values()]
    if not diffs:
        return None
    mad = (Decimal(sum(diffs)) / len(diffs)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    within = (Decimal(sum(1 for d in diffs if d <= 1)) / len(diffs)).quantize(Decimal("0.001"))
    return Agreement(items=len(diffs), mean_abs_diff=mad, within_one=within, diffs={})
