"""The triage configuration (``triage-<version>.yaml``): lexicons, points, thresholds, windows.

Loaded once into frozen dataclasses; a missing or ill-typed key fails at load naming the key, so a bad
edit fails at start-up rather than in a priority computed at 3 a.m.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

CURRENT_VERSION = 2
PRIORITIES = ("P1", "P2", "P3", "P4")


class TriageConfigError(ValueError):
    pass


@dataclass(frozen=True)
class PriorityRule:
    base: dict[str, int]
    regulator_forwarded: int
    flags: dict[str, int]
    vulnerable_first: int
    vulnerable_each_more: int
    amount_bands: tuple[tuple[Decimal, int], ...]  # highest floor first
    emotion: dict[str, int]
    thresholds: tuple[tuple[str, int], ...]  # highest first


@dataclass(frozen=True)
class MassIncidentRule:
    window_hours: int
    baseline_days: int
    factor: float
    min_cases: int
    min_customers: int
    dimensions: tuple[str, ...]
    text_similarity_min: float
    text_min_customers: int


@dataclass(frozen=True)
class MatterRule:
    """When two complaints are about the same matter (SPEC §6); applied by ``domain.triage.matter``."""

    similarity_min: float  # near-duplicate text on its own
    product_text_factor: float  # the same product needs text at least this × similarity_min

    @property
    def product_similarity_min(self) -> float:
        return self.similarity_min * self.product_text_factor


@dataclass(frozen=True)
class TriageConfig:
    version: int
    risk_words: dict[str, tuple[str, ...]]
    exclamation_min: int
    all_caps_min_words: int
    all_caps_ignore: frozenset[str]
    emotion_words: tuple[tuple[str, tuple[str, ...]], ...]  # most severe first
    shouting_is_angry: bool
    vulnerable_words: dict[str, tuple[str, ...]]
    age_pattern_min: int
    amount_units: dict[str, int]
    priority: PriorityRule
    repeat_contact_min: int
    same_matter: MatterRule
    mass_incident: MassIncidentRule
    senior_team_unit: str
    load_weights: dict[str, int]

    @property
    def label(self) -> str:
        return f"triage-{self.version}"


def _get(node: dict[str, Any], key: str, path: str) -> Any:
    if not isinstance(node, dict) or key not in node:
        raise TriageConfigError(f"{path}{key}: missing")
    return node[key]


def _words(node: dict[str, Any], path: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, values in node.items():
        if not isinstance(values, list) or not all(isinstance(v, (str, int)) for v in values):
            raise TriageConfigError(f"{path}{key}: a list of words")
        out[str(key)] = tuple(str(v).lower() for v in values)
    return out


def _fraction(node: dict[str, Any], key: str, path: str) -> float:
    value = float(_get(node, key, path))
    if not 0.0 < value <= 1.0:
        raise TriageConfigError(f"{path}{key}: a number in (0, 1]")
    return value


def _matter_rule(node: dict[str, Any]) -> MatterRule:
    return MatterRule(
        similarity_min=_fraction(node, "similarity_min", "same_matter."),
        product_text_factor=_fraction(node, "product_text_factor", "same_matter."),
    )


def parse_config(data: dict[str, Any]) -> TriageConfig:
    pr = _get(data, "priority", "")
    thresholds = _get(pr, "thresholds", "priority.")
    if set(thresholds) != {"P1", "P2", "P3"}:
        raise TriageConfigError("priority.thresholds: exactly P1, P2 and P3")
    ordered = sorted(((str(k), int(v)) for k, v in thresholds.items()), key=lambda kv: -kv[1])
    if [k for k, _ in ordered] != ["P1", "P2", "P3"]:
        raise TriageConfigError("priority.thresholds: P1 > P2 > P3")
    bands = sorted(
        ((Decimal(str(b["floor"])), int(b["points"])) for b in _get(pr, "amount_bands", "priority.")),
        key=lambda b: -b[0],
    )
    mi = _get(data, "mass_incident", "")
    routing = _get(data, "routing", "")
    emotion = _get(data, "emotion", "")
    order = ("distressed", "angry", "dissatisfied")
    if set(emotion) != set(order):
        raise TriageConfigError("emotion: exactly distressed, angry, dissatisfied")
    return TriageConfig(
        version=int(_get(data, "version", "")),
        risk_words=_words(_get(data, "risk_flags", ""), "risk_flags."),
        exclamation_min=int(_get(data, "exclamation_min", "")),
        all_caps_min_words=int(_get(data, "all_caps_min_words", "")),
        all_caps_ignore=frozenset(str(w).upper() for w in _get(data, "all_caps_ignore", "")),
        emotion_words=tuple((level, _words(emotion, "emotion.")[level]) for level in order),
        shouting_is_angry=bool(_get(data, "shouting_is_angry", "")),
        vulnerable_words=_words(_get(data, "vulnerable", ""), "vulnerable."),
        age_pattern_min=int(_get(data, "age_pattern_min", "")),
        amount_units={str(k): int(v) for k, v in _get(data, "amount_units", "").items()},
        priority=PriorityRule(
            base={str(k): int(v) for k, v in _get(pr, "base", "priority.").items()},
            regulator_forwarded=int(_get(pr, "regulator_forwarded", "priority.")),
            flags={str(k): int(v) for k, v in _get(pr, "flags", "priority.").items()},
            vulnerable_first=int(_get(pr, "vulnerable_first", "priority.")),
            vulnerable_each_more=int(_get(pr, "vulnerable_each_more", "priority.")),
            amount_bands=tuple(bands),
            emotion={str(k): int(v) for k, v in _get(pr, "emotion", "priority.").items()},
            thresholds=tuple(ordered),
        ),
        repeat_contact_min=int(_get(data, "repeat_contact_min", "")),
        same_matter=_matter_rule(_get(data, "same_matter", "")),
        mass_incident=MassIncidentRule(
            window_hours=int(_get(mi, "window_hours", "mass_incident.")),
            baseline_days=int(_get(mi, "baseline_days", "mass_incident.")),
            factor=float(_get(mi, "factor", "mass_incident.")),
            min_cases=int(_get(mi, "min_cases", "mass_incident.")),
            min_customers=int(_get(mi, "min_customers", "mass_incident.")),
            dimensions=tuple(_get(mi, "dimensions", "mass_incident.")),
            text_similarity_min=float(_get(mi, "text_similarity_min", "mass_incident.")),
            text_min_customers=int(_get(mi, "text_min_customers", "mass_incident.")),
        ),
        senior_team_unit=str(_get(routing, "senior_team_unit", "routing.")),
        load_weights={str(k): int(v) for k, v in _get(routing, "load_weights", "routing.").items()},
    )


@cache
def load_config(version: int = CURRENT_VERSION) -> TriageConfig:
    text = resources.files(__name__.rsplit(".", 1)[0]).joinpath(f"triage-{version}.yaml").read_text(encoding="utf-8")
    return parse_config(yaml.safe_load(text))
