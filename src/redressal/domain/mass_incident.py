"""Mass incidents (群体性/批量事件, SPEC §6): a spike of similar cases across different customers.

A spike in a dimension value (a product, a JR/T 0169 cause, a channel) is a window in which the count
of cases is well above the baseline rate (``factor`` × the average count per window-length over the
baseline period) and at least ``min_cases``, from at least ``min_customers`` distinct customers —
many complaints from one customer are a persistent complainant, not an incident. A cluster of
near-identical texts from different customers in the window is a spike of its own, whatever the
codes say. Pure: the caller counts, clusters and stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from redressal.domain.triage.config import MassIncidentRule


@dataclass(frozen=True)
class Item:
    case_id: int
    customer: str  # a stable key for the complainant (customer id, or the name for one-off parties)
    received_at: datetime
    dims: Mapping[str, str]  # {"product": …, "cause": …, "channel": …}


@dataclass(frozen=True)
class Spike:
    dimension: str  # "product", "cause", "channel" or "text"
    value: str
    case_ids: tuple[int, ...]
    customers: int
    count: int
    expected: float  # the baseline's average per window

    @property
    def key(self) -> str:
        return f"{self.dimension}:{self.value}"


def expected_per_window(baseline_count: int, rule: MassIncidentRule) -> float:
    windows = max(1.0, rule.baseline_days * 24 / rule.window_hours)
    return baseline_count / windows


def is_spike(count: int, customers: int, expected: float, rule: MassIncidentRule) -> bool:
    return count >= rule.min_cases and count >= rule.factor * expected and customers >= rule.min_customers


def detect(
    window: Iterable[Item],
    baseline: Mapping[tuple[str, str], int],
    rule: MassIncidentRule,
    text_clusters: Iterable[tuple[int, ...]] = (),
) -> list[Spike]:
    """Spikes among the cases of one window. ``baseline`` counts the cases per (dimension, value) over
    the baseline period before the window; ``text_clusters`` are groups of case ids with similar text."""
    items = list(window)
    by_id = {i.case_id: i for i in items}
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        for dim in rule.dimensions:
            value = item.dims.get(dim, "")
            if value:
                groups.setdefault((dim, value), []).append(item)
    spikes: list[Spike] = []
    for (dim, value), members in sorted(groups.items()):
        customers = len({m.customer for m in members})
        expected = expected_per_window(baseline.get((dim, value), 0), rule)
        if is_spike(len(members), customers, expected, rule):
            spikes.append(
                Spike(dim, value, tuple(sorted(m.case_id for m in members)), customers, len(members), expected)
            )
    for cluster in text_clusters:
        members = [by_id[c] for c in cluster if c in by_id]
        customers = len({m.customer for m in members})
        if customers >= rule.text_min_customers:
            ids = tuple(sorted(m.case_id for m in members))
            spikes.append(Spike("text", f"cluster-{ids[0]}", ids, customers, len(ids), 0.0))
    return spikes
