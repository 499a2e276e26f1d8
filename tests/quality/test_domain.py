"""The pure quality rules: sampling, rubric totals and agreement, who may inspect and appeal, the scorecard."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from redressal.domain.errors import DomainError
from redressal.domain.quality import inspection as rules
from redressal.domain.quality import rubric as rb
from redressal.domain.quality import sampling as sm
from redressal.domain.quality import scorecard as sc
from redressal.domain.quality.months import Month

SH = ZoneInfo("Asia/Shanghai")


def _cases(handler: int, n: int, start: int = 0, p1: frozenset[int] = frozenset()) -> list[sm.Candidate]:
    return [sm.Candidate(i, f"TS{i:06d}", handler, "P1" if i in p1 else "P3") for i in range(start, start + n)]


def test_random_quota_is_five_percent_rounded_half_up_with_a_minimum_of_one():
    rule = sm.DEFAULT_RULE
    assert [sm.random_quota(n, rule) for n in (0, 1, 9, 10, 29, 30, 50, 70)] == [0, 1, 1, 1, 1, 2, 3, 4]
    assert sm.random_quota(3, sm.SamplingRule(percent=Decimal(100))) == 3


def test_the_sample_is_the_same_when_drawn_again_and_differs_by_month():
    pool = _cases(7, 60) + _cases(8, 5, start=100)
    first = sm.select_sample("2026-03", pool, {})
    assert first == sm.select_sample("2026-03", list(reversed(pool)), {})
    picked = {p.handler_id: sum(1 for q in first if q.handler_id == p.handler_id) for p in first}
    assert picked == {7: 3, 8: 1}  # 5 % of 60; at least one of 5
    other = sm.select_sample("2026-04", pool, {})
    assert {p.case_id for p in other} != {p.case_id for p in first}


def test_every_p1_and_every_overturned_case_is_in_with_its_reasons():
    pool = _cases(1, 40, p1=frozenset({3, 4}))
    picks = {p.case_id: p for p in sm.select_sample("2026-03", pool, {500: 2})}
    assert "p1" in picks[3].reasons and "p1" in picks[4].reasons
    assert picks[500].reasons == ("overturned",) and picks[500].handler_id == 2
    off = sm.SamplingRule(include_p1=False, include_overturned=False)
    assert all(p.reasons == ("random",) for p in sm.select_sample("2026-03", pool, {500: 2}, off))


def test_a_sampling_rule_out_of_range_is_refused():
    with pytest.raises(DomainError) as exc:
        sm.select_sample("2026-03", [], {}, sm.SamplingRule(percent=Decimal(120)))
    assert exc.value.rule == "sampling.percent"


def test_weighted_total_and_its_checks():
    rubric = rb.DEFAULT_RUBRIC
    full = {c: 5 for c in rubric.codes}
    assert rb.weighted_total(rubric, full) == Decimal("100.0")
    # compliance (weight 25 of 100) at 0: 75
    assert rb.weighted_total(rubric, {**full, "compliance": 0}) == Decimal("75.0")
    with pytest.raises(DomainError) as missing:
        rb.weighted_total(rubric, {c: 5 for c in rubric.codes[1:]})
    assert missing.value.field == rubric.codes[0]
    with pytest.raises(DomainError) as high:
        rb.weighted_total(rubric, {**full, "attitude": 6})
    assert high.value.rule == "qa.score_range" and high.value.field == "attitude"
    with pytest.raises(DomainError):
        rb.weighted_total(rubric, {**full, "extra": 1})


def test_a_rubric_with_repeated_codes_or_bad_weights_is_refused():
    item = rb.RubricItem("a_item", "甲", 10)
    with pytest.raises(DomainError):
        rb.Rubric((item, item)).check()
    with pytest.raises(DomainError):
        rb.Rubric((rb.RubricItem("a_item", "甲", 0),)).check()
    rb.Rubric((item,)).check()


def test_agreement_is_the_mean_absolute_difference_and_the_share_within_one_point():
    rubric = rb.DEFAULT_RUBRIC
    a = dict.fromkeys(rubric.codes, 4)
    b = {**a, "timeliness": 2, "records": 5}  # differences 2 and 1, four zeros
    pair = rb.agreement(rubric, a, b)
    assert pair.mean_abs_diff == Decimal("0.50")
    assert pair.within_one == Decimal("0.833")
    pooled = rb.pooled_agreement([pair, rb.agreement(rubric, a, a)])
    assert pooled is not None and pooled.mean_abs_diff == Decimal("0.25") and pooled.items == 12


def test_who_may_inspect_appeal_and_decide():
    with pytest.raises(DomainError):
        rules.check_inspector(5, {5, 6})
    rules.check_inspector(7, {5, 6})
    scored = datetime(2026, 3, 5, tzinfo=SH)
    with pytest.raises(DomainError) as other:
        rules.check_appeal(9, 5, already_appealed=False, scored_at=scored, at=scored)
    assert other.value.rule == "qa.appeal_not_handler"
    with pytest.raises(DomainError) as twice:
        rules.check_appeal(5, 5, already_appealed=True, scored_at=scored, at=scored)
    assert twice.value.rule == "qa.appeal_once"
    late = scored + timedelta(days=rules.APPEAL_WINDOW_DAYS, seconds=1)
    with pytest.raises(DomainError):
        rules.check_appeal(5, 5, already_appealed=False, scored_at=scored, at=late)
    rules.check_appeal(5, 5, already_appealed=False, scored_at=scored, at=scored + timedelta(days=1))
    with pytest.raises(DomainError) as own:
        rules.check_appeal_decider(3, inspector_ids={3}, handler_id=5)
    assert own.value.rule == "qa.appeal_own_scores"
    with pytest.raises(DomainError):
        rules.check_appeal_decider(5, inspector_ids={3}, handler_id=5)
    rules.check_appeal_decider(4, inspector_ids={3}, handler_id=5)


def test_scorecard_dimensions_total_and_stars():
    facts = sc.Facts(
        cases=10,
        ratings=[100, 75],
        contacts=10,
        contacts_on_time=9,
        decision_days=[Decimal(10)],
        decided=10,
        decided_on_time=8,
        reopened=1,
        overturned=1,
    )
    card = sc.score(facts)
    assert card.dimensions["satisfaction"] == Decimal("87.5")
    # 0.3 × 90 + 0.3 × 50 (10 days: halfway from 5 to 15) + 0.4 × 80
    assert card.dimensions["efficiency"] == Decimal("74.0")
    assert card.dimensions["accuracy"] == Decimal("92.0")  # 100 × (1 − 0.4 × 0.1 − 0.4 × 0.1)
    assert card.dimensions["professionalism"] is None
    # professionalism absent: the other weights scaled to 0.8
    expected = (Decimal("0.3") * Decimal("87.5") + Decimal("0.25") * 74 + Decimal("0.25") * 92) / Decimal("0.8")
    assert card.total == expected.quantize(Decimal("0.1"))
    assert card.stars == 4
    facts.qa_totals = [Decimal(50)]
    lower = sc.score(facts)
    assert lower.total is not None and lower.total < card.total and lower.stars == 3


def test_a_scorecard_without_facts_has_no_total_and_no_stars():
    card = sc.score(sc.Facts())
    assert card.total is None and card.stars == 0
    assert sc.stars(Decimal("59.9"), sc.formula()) == 1 and sc.stars(Decimal(90), sc.formula()) == 5
    with pytest.raises(DomainError):
        sc.formula(99)


def test_months():
    m = Month.parse("2026-12")
    assert str(m.next()) == "2027-01" and str(Month.parse("2026-01").previous()) == "2025-12"
    assert m.start(SH) == datetime(2026, 12, 1, tzinfo=SH) and m.end(SH) == datetime(2027, 1, 1, tzinfo=SH)
    for bad in ("2026-13", "26-01", "x"):
        with pytest.raises(DomainError):
            Month.parse(bad)


def test_a_new_formula_version_applies_from_its_month_only(monkeypatch):
    import dataclasses

    v2 = dataclasses.replace(sc.FORMULAS[1], version=2, in_force_from="2027-01", star_thresholds=(Decimal(0),) * 4)
    monkeypatch.setitem(sc.FORMULAS, 2, v2)
    assert sc.version_for("2026-12") == 1 and sc.version_for("2027-01") == 2
    facts = sc.Facts(cases=1, ratings=[0])
    assert sc.score(facts, sc.version_for("2026-12")).stars == 1
    assert sc.score(facts, sc.version_for("2027-03")).stars == 5
