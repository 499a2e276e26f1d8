"""Routing (SPEC §7): rule order and conditions; least-loaded choice with skills, round-robin ties,
absence, capacity and recusal."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redressal.domain.routing import CaseFacts, Member, Rule, choose_assignee, first_match, weighted_load

TODAY = date(2026, 11, 23)
FACTS = CaseFacts(
    channel="mobile_banking",
    source="customer",
    request_type="complaint",
    business="B0302",
    cause="C11",
    product="信用卡",
    unit="BJ",
    priority="P3",
    risk_flags=frozenset({"media"}),
    vulnerable=frozenset({"elderly"}),
    language="zh-hans",
)


def rule(name: str, order: int, **conditions) -> Rule:
    return Rule(name=name, order=order, **{k: frozenset(v) for k, v in conditions.items()})


def test_first_matching_rule_by_order_wins():
    rules = [
        rule("catch-all", 1000),
        rule("cards", 20, business_codes={"B03"}),
        rule("media", 10, risk_flags={"media"}),
    ]
    assert first_match(rules, FACTS).name == "media"
    assert first_match(rules, CaseFacts(business="B0301")).name == "cards"
    assert first_match(rules, CaseFacts(business="B01")).name == "catch-all"
    assert first_match([rule("cards", 20, business_codes={"B03"})], CaseFacts(business="B01")) is None


def test_every_condition_must_hold():
    cases = {
        "channels": ({"hotline"}, {"mobile_banking"}),
        "sources": ({"regulator_forwarded"}, {"customer"}),
        "request_types": ({"consultation"}, {"complaint"}),
        "business_codes": ({"B02"}, {"B03"}),
        "cause_codes": ({"C01"}, {"C11"}),
        "products": ({"理财"}, {"信用卡"}),
        "units": ({"SH"}, {"BJ"}),
        "priorities": ({"P1"}, {"P3", "P4"}),
        "risk_flags": ({"lawsuit"}, {"media", "lawsuit"}),
        "vulnerable": ({"disabled"}, {"*"}),
        "languages": ({"en"}, {"zh-hans"}),
    }
    for name, (miss, hit) in cases.items():
        assert not rule("r", 1, **{name: miss}).matches(FACTS), name
        assert rule("r", 1, **{name: hit}).matches(FACTS), name
    assert not rule("r", 1, vulnerable={"*"}).matches(CaseFacts())


def member(i: int, **kw) -> Member:
    return Member(staff_id=i, username=f"h{i}", **kw)


def test_least_loaded_wins_and_load_is_weighted_by_priority():
    weights = {"P1": 4, "P2": 3, "P3": 2, "P4": 1}
    one_p1 = weighted_load({"P1": 1}, weights)
    three_p4 = weighted_load({"P4": 3}, weights)
    assert (one_p1, three_p4) == (4, 3)
    got = choose_assignee([member(1, load=one_p1, open_cases=1), member(2, load=three_p4, open_cases=3)], today=TODAY)
    assert got.member.username == "h2"  # more cases, but lighter ones


def test_ties_go_round_robin_to_the_one_assigned_longest_ago():
    early = datetime(2026, 11, 20, 9, tzinfo=UTC)
    late = datetime(2026, 11, 23, 9, tzinfo=UTC)
    members = [member(1, last_assigned_at=late), member(2, last_assigned_at=early), member(3, load=2)]
    assert choose_assignee(members, today=TODAY).member.username == "h2"
    # Never assigned counts as longest ago; then the lower id, so the choice is always the same.
    members = [member(1, last_assigned_at=early), member(5), member(4)]
    assert choose_assignee(members, today=TODAY).member.username == "h4"


def test_absence_capacity_skills_and_recusal_exclude_members():
    members = [
        member(1, available=False),
        member(2, absent_until=TODAY),
        member(3, open_cases=40, capacity=40, load=0),
        member(4, skills=frozenset({"loans"})),
        member(5, skills=frozenset({"credit_card"})),
        member(6, skills=frozenset({"credit_card"}), load=9),
    ]
    got = choose_assignee(members, today=TODAY, required_skill="credit_card", conflicted=frozenset({5}))
    assert got.member.username == "h6"
    assert dict(got.skipped) == {
        "h1": "unavailable",
        "h2": "absent",
        "h3": "at_capacity",
        "h4": "skill",
        "h5": "recusal",
    }


def test_absence_ends_after_its_last_day():
    back = member(1, absent_until=date(2026, 11, 22))
    assert choose_assignee([back], today=TODAY).member is not None


def test_nobody_eligible_is_no_choice():
    got = choose_assignee([member(1, available=False)], today=TODAY)
    assert got.member is None and dict(got.skipped) == {"h1": "unavailable"}
