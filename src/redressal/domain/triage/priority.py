"""Priority P1–P4 from an explainable additive score (SPEC §6): each factor is listed with its points,
so the case page shows why a case is urgent, and the thresholds are configuration, not code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from redressal.domain.triage.config import TriageConfig
from redressal.domain.triage.signals import Flag


@dataclass(frozen=True)
class Factor:
    factor: str
    points: int
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {"factor": self.factor, "points": self.points, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Factor:
        return cls(str(data["factor"]), int(str(data["points"])), str(data["detail"]))


def score_factors(
    *,
    request_type: str,
    regulator_forwarded: bool,
    flags: list[Flag],
    vulnerable: list[Flag],
    amount: Decimal | None,
    emotion: str,
    config: TriageConfig,
) -> list[Factor]:
    rule = config.priority
    out: list[Factor] = []
    base = rule.base.get(request_type, 0)
    if base:
        out.append(Factor("request_type", base, request_type))
    if regulator_forwarded:
        out.append(Factor("regulator_forwarded", rule.regulator_forwarded, "source=regulator_forwarded"))
    for flag in flags:
        factor = flag_factor(flag, config, regulator_forwarded=regulator_forwarded)
        if factor is not None:
            out.append(factor)
    if vulnerable:
        points = rule.vulnerable_first + rule.vulnerable_each_more * (len(vulnerable) - 1)
        out.append(Factor("vulnerable", points, ", ".join(f.code for f in vulnerable)))
    if amount is not None:
        for floor, points in rule.amount_bands:
            if amount >= floor:
                out.append(Factor("amount", points, f"{amount} ≥ {floor}"))
                break
    points = rule.emotion.get(emotion, 0)
    if points:
        out.append(Factor("emotion", points, emotion))
    return out


def flag_factor(flag: Flag, config: TriageConfig, *, regulator_forwarded: bool) -> Factor | None:
    """What one risk flag adds to the score; None when it adds nothing."""
    # A forwarded case already scored as forwarded; its own mention of the regulator adds nothing.
    if flag.code == "regulator" and regulator_forwarded:
        return None
    points = config.priority.flags.get(flag.code, 0)
    return Factor(f"risk:{flag.code}", points, ", ".join(flag.evidence)) if points else None


def with_flag(
    factors: Sequence[Factor], flag: Flag, config: TriageConfig, *, regulator_forwarded: bool
) -> tuple[list[Factor], int, str]:
    """An assessed case's factors, score and priority once one more risk flag is raised on it (a
    mass incident found later), scored as :func:`score_factors` would have scored it."""
    factor = flag_factor(flag, config, regulator_forwarded=regulator_forwarded)
    out = [*factors, factor] if factor is not None else list(factors)
    score = sum(f.points for f in out)
    return out, score, priority_of(score, config)


def priority_of(score: int, config: TriageConfig) -> str:
    for label, floor in config.priority.thresholds:
        if score >= floor:
            return label
    return "P4"
