"""Triage rules (SPEC §6): every flag with the evidence that raised it, emotion, vulnerable cues,
amounts, and the priority score with its thresholds."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest
import yaml

from redressal.domain.triage import Context, assess, load_config
from redressal.domain.triage.config import CURRENT_VERSION, TriageConfigError, parse_config
from redressal.domain.triage.priority import priority_of, with_flag
from redressal.domain.triage.signals import Flag, amounts_in, emotion, risk_flags, vulnerable

CFG = load_config()


def flags(text: str, ctx: Context | None = None) -> dict[str, list[str]]:
    return {f.code: list(f.evidence) for f in risk_flags(text, ctx or Context(), CFG)}


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        ("再不解决我就打12378", "regulator", ["12378"]),
        ("我要向金融监管总局反映", "regulator", ["金融监管总局"]),
        ("已经向人民银行投诉了", "regulator", ["人民银行"]),
        ("I will write to the regulator", "regulator", ["regulator"]),
        ("我会找记者曝光你们", "media", ["记者", "曝光"]),
        ("发到抖音上让大家看看", "media", ["抖音"]),
        ("我已经请了律师，准备起诉", "lawsuit", ["律师", "起诉"]),
        ("我去派出所报警了", "lawsuit", ["报警", "派出所"]),
        ("my lawyer will sue you", "lawsuit", ["lawyer", "sue"]),
        ("信用卡被盗刷三笔", "fund_safety", ["盗刷", "被盗"]),
        ("接到电话被骗了两万", "fund_safety", ["被骗"]),
        ("账户出现未授权扣款", "fund_safety", ["未授权扣款"]),
        ("我的个人信息泄露了，天天接到推销电话", "info_leak", ["信息泄露"]),
        ("请尽快处理，急用", "urgency", ["尽快", "急用"]),
    ],
)
def test_each_risk_flag_names_its_evidence(text, code, evidence):
    assert flags(text)[code] == evidence


def test_english_words_match_whole_words_only():
    # "issue" contains "sue", "courtesy" contains "court": neither is a lawsuit.
    assert "lawsuit" not in flags("There is an issue with the courtesy of your staff")


def test_a_word_inside_a_longer_match_is_not_repeated():
    assert flags("我要向银保监和监管部门反映")["regulator"] == ["银保监", "监管部门"]


def test_regulator_forwarded_is_a_fact_from_the_source():
    got = flags("转办：客户反映年费问题", Context(source="regulator_forwarded", regulator="12378"))
    assert got["regulator"] == ["source=regulator_forwarded(12378)"]


def test_exclamation_and_all_caps():
    got = flags("你们到底管不管！！！ THIS IS UNACCEPTABLE")
    assert got["exclamation"] == ["!×3"]
    assert got["all_caps"] == ["THIS", "UNACCEPTABLE"]
    # One mark, or one capitalised word, or acronyms, are ordinary writing.
    quiet = flags("ATM 吞卡了! 请处理 PBOC NFRA")
    assert "exclamation" not in quiet and "all_caps" not in quiet


def test_repeat_is_the_third_contact_on_the_same_matter_from_context_not_text():
    assert "repeat" not in flags("又来投诉了，第三次了", Context(same_matter_cases=("TS1",)))
    assert flags("年费", Context(same_matter_cases=("TS1", "TS2")))["repeat"] == ["TS1", "TS2"]


def test_mass_incident_flag_comes_from_the_detector():
    assert flags("转账失败", Context(mass_incident="MI-7"))["mass_incident"] == ["MI-7"]


def test_plain_text_raises_nothing():
    assert flags("请问信用卡年费怎么收取") == {}


@pytest.mark.parametrize(
    ("text", "level", "evidence"),
    [
        ("请问信用卡年费怎么收", "calm", []),
        ("对处理结果很失望", "dissatisfied", ["失望"]),
        ("你们太过分了，简直是骗子", "angry", ["太过分", "骗子"]),
        ("钱没了我真的走投无路了，救命", "distressed", ["走投无路", "救命"]),
        ("This is OUTRAGEOUS", "angry", ["outrageous"]),
        ("我的钱凭什么不让我提前还", "angry", ["凭什么"]),
        ("转账失败，请给个说法", "dissatisfied", ["给个说法"]),
        # A dissatisfied word, shouted, reads as anger; the shouting is part of the evidence.
        ("REFUND MY MONEY NOW", "angry", ["refund", "REFUND", "MONEY"]),
    ],
)
def test_emotion(text, level, evidence):
    got, ev = emotion(text, CFG)
    assert got == level
    assert list(ev) == evidence


def test_distress_outranks_anger():
    assert emotion("太过分了，我已经崩溃了", CFG)[0] == "distressed"


def test_vulnerable_from_birth_date_cues_and_profile():
    today = date(2026, 11, 23)
    by_birth = vulnerable("年费问题", Context(birth_date=date(1950, 1, 2), today=today), CFG)
    assert [(f.code, f.evidence) for f in by_birth] == [("elderly", ("age 76 (birth date)",))]
    young = vulnerable("年费问题", Context(birth_date=date(1990, 1, 2), today=today), CFG)
    assert young == []
    cues = {f.code: f.evidence for f in vulnerable("我是退休老人，手机银行看不懂", Context(), CFG)}
    assert cues == {"elderly": ("老人", "退休", "看不懂")}
    assert {f.code for f in vulnerable("我今年78岁了", Context(), CFG)} == {"elderly"}
    assert vulnerable("孩子今年18岁", Context(), CFG) == []
    assert {f.code: f.evidence for f in vulnerable("我是盲人", Context(), CFG)} == {"disabled": ("盲人",)}
    assert {f.code: f.evidence for f in vulnerable("我不识字", Context(), CFG)} == {"low_literacy": ("不识字",)}
    declared = vulnerable("", Context(declared_vulnerable=frozenset({"bereaved"})), CFG)
    assert [(f.code, f.evidence) for f in declared] == [("bereaved", ("customer profile",))]


def test_amounts_in_text():
    got = amounts_in("被扣了5万元，另有¥3,000和2000块钱，RMB 1.5万", CFG)
    assert sorted(v for v, _ in got) == [Decimal(2000), Decimal(3000), Decimal(15000), Decimal(50000)]
    assert ("50000" in {str(v) for v, _ in got}) and any(w == "5万元" for _, w in got)


def factors(a) -> dict[str, int]:
    return {f.factor: f.points for f in a.factors}


def test_priority_is_the_sum_of_explained_factors():
    a = assess(
        "我今年78岁，信用卡被盗刷5万元，我要打12378，还要找记者曝光，太过分了",
        Context(),
        request_type="complaint",
    )
    assert factors(a) == {
        "request_type": 10,
        "risk:regulator": 30,
        "risk:media": 25,
        "risk:fund_safety": 25,
        "vulnerable": 15,
        "amount": 20,
        "emotion": 10,
    }
    assert a.score == 135 and a.priority == "P1"
    assert {f.factor: f.detail for f in a.factors}["amount"] == "50000 ≥ 50000"


def test_plain_complaint_is_p3_and_plain_consultation_p4():
    assert assess("信用卡年费收取标准是什么", Context(), request_type="complaint").priority == "P3"
    a = assess("信用卡年费收取标准是什么", Context(), request_type="consultation")
    assert (a.priority, a.score, a.factors) == ("P4", 0, ())


def test_regulator_forwarded_is_p2_and_not_counted_twice():
    a = assess(
        "客户称已向12378反映", Context(source="regulator_forwarded", regulator="12378"), request_type="complaint"
    )
    assert factors(a) == {"request_type": 10, "regulator_forwarded": 40}
    assert a.priority == "P2"


def test_amount_bands_use_the_case_amount_or_the_text():
    def amount_points(amount: str | None, text: str = "扣费") -> int:
        ctx = Context(amount=Decimal(amount) if amount else None)
        return factors(assess(text, ctx, request_type="complaint")).get("amount", 0)

    assert [amount_points(x) for x in ("999.99", "1000", "10000", "50000", "200000")] == [0, 5, 10, 20, 30]
    assert amount_points(None, "被扣了20万元") == 30
    assert amount_points("100", "被扣了2万元") == 10  # the larger of the two


def test_vulnerable_points_grow_with_each_flag():
    ctx = Context(declared_vulnerable=frozenset({"disabled", "low_literacy"}))
    assert factors(assess("退休老人", ctx, request_type="complaint"))["vulnerable"] == 15 + 5 + 5


def test_thresholds_are_configuration():
    assert [priority_of(s, CFG) for s in (60, 59, 35, 34, 10, 9, 0)] == ["P1", "P2", "P2", "P3", "P3", "P4", "P4"]
    strict = replace(CFG, priority=replace(CFG.priority, thresholds=(("P1", 100), ("P2", 50), ("P3", 20))))
    assert [priority_of(s, strict) for s in (99, 50, 19)] == ["P2", "P2", "P4"]


def test_a_flag_raised_later_scores_as_assess_would():
    a = assess("信用卡年费扣了两次，太过分了", Context(), request_type="complaint")
    raised, score, priority = with_flag(a.factors, Flag("mass_incident", ("MI-1",)), CFG, regulator_forwarded=False)
    assert raised[-1].as_dict() == {"factor": "risk:mass_incident", "points": 20, "detail": "MI-1"}
    assert score == a.score + 20 and priority == priority_of(score, CFG)
    # A flag worth nothing, or the regulator on a forwarded case, adds no factor.
    unpriced = replace(CFG, priority=replace(CFG.priority, flags={**CFG.priority.flags, "mass_incident": 0}))
    unchanged = with_flag(a.factors, Flag("mass_incident", ()), unpriced, regulator_forwarded=False)
    assert unchanged == (list(a.factors), a.score, a.priority)
    assert with_flag(a.factors, Flag("regulator", ("12378",)), CFG, regulator_forwarded=True)[1] == a.score


def _raw() -> dict:
    text = resources.files("redressal.domain.triage").joinpath("triage-2.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def test_config_loads_and_refuses_bad_edits():
    assert parse_config(_raw()) == CFG
    bad = _raw()
    del bad["priority"]["thresholds"]["P2"]
    with pytest.raises(TriageConfigError, match="thresholds"):
        parse_config(bad)
    bad = _raw()
    bad["priority"]["thresholds"]["P3"] = 90
    with pytest.raises(TriageConfigError, match="P1 > P2 > P3"):
        parse_config(bad)
    bad = _raw()
    del bad["mass_incident"]["window_hours"]
    with pytest.raises(TriageConfigError, match="window_hours"):
        parse_config(bad)


def test_every_triage_config_file_names_its_own_version_and_the_current_one_loads() -> None:
    # Old versions stay as the record of the rules behind earlier ``triaged`` events; a file whose
    # version field disagrees with its name would make that record lie.
    folder = resources.files("redressal.domain.triage")
    versions = []
    for item in folder.iterdir():
        found = re.fullmatch(r"triage-(\d+)\.yaml", item.name)
        if found:
            versions.append(int(found.group(1)))
            assert yaml.safe_load(item.read_text(encoding="utf-8"))["version"] == int(found.group(1))
    assert CURRENT_VERSION == max(versions)
    assert load_config().label == f"triage-{CURRENT_VERSION}"


@pytest.mark.parametrize("request_type", ["complaint", "consultation", "suggestion", "other"])
def test_a_forwarded_case_is_at_least_p2_by_the_transfers_points_alone(request_type):
    # No floor is needed: every point in the shipped rules adds (none subtracts), and the transfer's own
    # points reach the P2 threshold, so the plainest forwarded case of any type is P2 at least.
    rule = CFG.priority
    points = [*rule.base.values(), *rule.flags.values(), *rule.emotion.values(), rule.vulnerable_first]
    assert min(points) >= 0 and rule.vulnerable_each_more >= 0 and all(p >= 0 for _, p in rule.amount_bands)
    assert rule.regulator_forwarded >= dict(rule.thresholds)["P2"]
    a = assess("客户反映的问题", Context(source="regulator_forwarded", regulator="PBOC"), request_type=request_type)
    assert a.priority in ("P1", "P2")
    assert factors(a)["regulator_forwarded"] == rule.regulator_forwarded
