"""The mass-incident detector (SPEC §6): a generated spike is found once; ordinary traffic raises
nothing; the same input gives the same answer."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from redressal.domain.mass_incident import Item, detect, expected_per_window, is_spike
from redressal.domain.triage import load_config

RULE = load_config().mass_incident
T0 = datetime(2026, 11, 23, 8, tzinfo=UTC)


def items(n: int, customers: int, product: str = "手机银行转账", start: int = 0) -> list[Item]:
    return [
        Item(start + i, f"c:{i % customers}", T0 + timedelta(minutes=10 * i), {"product": product, "channel": "mobile"})
        for i in range(n)
    ]


def test_a_spike_is_found_once():
    window = items(12, customers=12)
    spikes = detect(window, {("product", "手机银行转账"): 14, ("channel", "mobile"): 2000}, RULE)
    assert [(s.dimension, s.value, s.count, s.customers) for s in spikes] == [("product", "手机银行转账", 12, 12)]
    assert spikes[0].case_ids == tuple(range(12))
    assert detect(window, {("product", "手机银行转账"): 14, ("channel", "mobile"): 2000}, RULE) == spikes


def test_ordinary_traffic_raises_nothing():
    rng = random.Random(7)
    products = ["信用卡", "借记卡", "理财", "房贷", "手机银行转账"]
    # A busy but ordinary day: baseline of 14 days at the same rate as the window.
    window = [
        Item(i, f"c:{rng.randrange(10_000)}", T0 + timedelta(minutes=i), {"product": rng.choice(products)})
        for i in range(40)
    ]
    per_window = {p: sum(1 for w in window if w.dims["product"] == p) for p in products}
    windows = RULE.baseline_days * 24 / RULE.window_hours
    baseline = {("product", p): int(n * windows) for p, n in per_window.items()}
    assert detect(window, baseline, RULE) == []


def test_one_persistent_customer_is_not_an_incident():
    assert detect(items(12, customers=2), {}, RULE) == []


def test_below_the_minimum_count_is_not_a_spike():
    assert detect(items(RULE.min_cases - 1, customers=20), {}, RULE) == []


def test_spike_needs_to_be_well_above_the_baseline():
    expected = expected_per_window(56 * 12, RULE)  # twelve cases every window for 14 days
    assert expected == 12
    assert not is_spike(12, 12, expected, RULE)
    assert is_spike(int(12 * RULE.factor), 30, expected, RULE)


def test_text_cluster_across_customers():
    window = items(6, customers=6, product="")
    spikes = detect(window, {}, RULE, text_clusters=[(0, 1, 2, 3, 4, 5)])
    assert [(s.dimension, s.case_ids, s.customers) for s in spikes] == [("text", (0, 1, 2, 3, 4, 5), 6)]
    assert detect(window, {}, RULE, text_clusters=[(0, 1)]) == []
