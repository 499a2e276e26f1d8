"""The library's anonymiser over realistic complaint texts: what must go, and what must stay."""

from __future__ import annotations

import itertools
import random
import time
from datetime import date, timedelta

import pytest

from redressal.domain.anonymise import Known, Person, anonymise, date_offset, leftovers, scrub, shift_dates
from redressal.domain.pii_numbers import luhn_ok


def _luhn_card(prefix: str = "622202123456789") -> str:
    for last in "0123456789":
        if luhn_ok(prefix + last):
            return prefix + last
    raise AssertionError


CARD = _luhn_card()  # 16 digits passing Luhn


def _id(first17: str = "11010119500101123") -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


ID = _id()  # a resident ID with its check digit
PHONE = "13812345678"
ADDRESS = "北京市朝阳区建国路88号3号楼2单元501室"

KNOWN = Known(
    people=(Person("王秀英", "customer"), Person("郭丽萍", "staff"), Person("张晓东", "staff")),
    numbers=(PHONE, ID, CARD),
    addresses=(ADDRESS,),
)
REF = date(2026, 3, 20)


def test_the_id_fixture_is_valid():
    from redressal.domain.pii_numbers import id_check_ok

    assert id_check_ok(ID)


def test_a_counter_complaint_keeps_its_story_and_loses_its_people():
    text = (
        f"客户王秀英（78岁）到北京朝阳支行办理存折取款，柜员郭丽萍态度不耐烦，称“看不懂就回家让子女来办”。"
        f"王女士留下手机{PHONE}、身份证号{ID}，家住{ADDRESS}。"
    )
    out = scrub(text, KNOWN)
    for gone in ("王秀英", "郭丽萍", "王女士", PHONE, ID, ADDRESS, "建国路88号"):
        assert gone not in out.text
    # The story stays: the age, the branch, the words said, the label of each person.
    for kept in ("78岁", "北京朝阳支行", "看不懂就回家让子女来办", "客户甲", "柜员甲"):
        assert kept in out.text
    assert "客户客户甲" not in out.text
    assert out.counts["name"] == 3 and out.counts["mobile"] == 1 and out.counts["id"] == 1


def test_numbers_that_are_not_personal_stay():
    text = (
        "客户于2026年3月15日14:30转账1200.00元，手续费5元，年化收益率4.35%，分12期，"
        "拨打客服热线95588，排队52分钟，第3号窗口未开放，交易金额120000元。"
    )
    out = scrub(text, KNOWN)
    assert out.text == text  # dates are scrub's business only when shifting (anonymise)
    assert out.counts == {}


def test_number_lookalikes_are_judged_by_their_checks():
    bad_card = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)  # fails Luhn: still a long number, taken as an account
    text = f"卡号{CARD}；另一卡号{bad_card}；参考号 20260315；订单号A{CARD}；尾号4321的借记卡。"
    out = scrub(text, Known())
    assert out.text.count(CARD) == 1 and bad_card not in out.text
    assert "【银行卡号】" in out.text and "【账号】" in out.text
    assert "20260315" in out.text  # eight digits: a date or a reference, not an account
    assert f"A{CARD}" in out.text  # glued to letters: an order reference, left as it is
    assert "尾号××××" in out.text and "4321" not in out.text


def test_an_eighteen_digit_reference_is_no_id():
    not_id = "202613450000123456"  # no birth date in place and a wrong check digit
    out = scrub(f"流水号{not_id}，身份证{ID}", Known())
    assert out.text == "流水号【账号】，身份证【身份证号】"


def test_grouped_and_prefixed_numbers_are_found():
    grouped = f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}"
    text = f"手机+86 138-1234-5678，卡号{grouped}，座机(010)6234 5678，邮箱wang.xy@example.com"
    out = scrub(text, Known())
    assert out.text == "手机【手机号】，卡号【银行卡号】，座机【电话】，邮箱【邮箱】"


def test_names_inside_other_words_are_not_names():
    text = "王府井支行的高明做法：向先生致歉后，于女士表示理解；基金经理解释了产品；张先生的诉求已记录。"
    out = scrub(text, Known())
    for kept in ("王府井支行", "高明做法", "向先生致歉", "于女士表示理解", "基金经理"):
        assert kept in out.text
    assert "张先生" not in out.text and "某先生" in out.text


def test_a_known_surname_is_its_person_unless_two_share_it():
    known = Known(people=(Person("张伟", "customer"), Person("李娜", "staff")))
    assert scrub("张先生说李经理答应退款，李某未兑现。", known).text == "客户甲说员工甲答应退款，员工甲未兑现。"
    two = Known(people=(Person("张伟", "customer"), Person("张敏", "staff")))
    assert scrub("张先生与张经理", two).text == "某先生与某经理"
    # A preposition-like surname is a surname when a known person bears it.
    assert scrub("于先生", Known(people=(Person("于海", "customer"),))).text == "客户甲"


def test_names_after_field_words_and_unknown_surnames():
    out = scrub("收款人赵子龙，户名：钱多多，陈某某与李某。", Known())
    assert out.text == "收款人某某，户名：某某，某某与某某。"


def test_names_glued_to_text_and_in_latin_letters():
    known = Known(people=(Person("王秀英", "customer"), Person("John Smith", "customer")))
    out = scrub("王秀英之子代王秀英投诉；Mr john smith called; Johnsmithson is someone else.", known)
    assert out.text == "客户甲之子代客户甲投诉；Mr 客户乙 called; Johnsmithson is someone else."


def test_addresses_without_the_sentence_around_them():
    out = scrub("客户家住上海市浦东新区世纪大道100号，另一处位于阳光花园5栋2单元。人民路支行未开门。", Known())
    assert out.text == "客户家住【地址】，另一处位于【地址】。人民路支行未开门。"


def test_case_numbers_lead_back_and_go():
    assert scrub("与工单TS20260315BJ010001合并", Known()).text == "与工单【工单编号】合并"


def test_scrub_is_idempotent_and_leftovers_are_empty_after_it():
    text = f"王秀英，{PHONE}，{ADDRESS}，张先生，卡号{CARD}，尾号1234"
    once = scrub(text, KNOWN).text
    assert scrub(once, KNOWN).text == once
    assert leftovers([once], KNOWN) == {}
    assert leftovers([text], KNOWN)["name"] >= 1


def test_dates_shift_by_whole_weeks_keeping_weekdays_and_intervals():
    text = "客户于2026年3月3日转账，2026-03-10发现未到账，3月17日投诉，2026/3/24再次来电。"
    offset = -70
    out, moved = shift_dates(text, offset, REF)
    assert moved == 4
    assert out == "客户于2025年12月23日转账，2025-12-30发现未到账，12月16日投诉，2026/1/13再次来电。".replace(
        "12月16日", "1月6日"
    )
    originals = [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17), date(2026, 3, 24)]
    shifted = [d + timedelta(days=offset) for d in originals]
    assert [d.weekday() for d in shifted] == [d.weekday() for d in originals]
    assert [b - a for a, b in itertools.pairwise(shifted)] == [b - a for a, b in itertools.pairwise(originals)]


def test_year_less_dates_take_the_nearest_year_and_impossible_dates_stay():
    # In a case of early January, "12月30日" is last December: shifted back from there.
    out, moved = shift_dates("12月30日交易，2月30日无效，2026年3月无日", -7, date(2026, 1, 5))
    assert out == "12月23日交易，2月30日无效，2026年3月无日" and moved == 1


def test_offsets_are_whole_weeks_in_the_past_and_vary():
    rng = random.Random(1)
    offsets = {date_offset(rng) for _ in range(50)}
    assert all(o % 7 == 0 and -364 <= o <= -28 for o in offsets)
    assert len(offsets) > 10


def test_anonymise_scrubs_then_shifts_and_counts_both():
    out = anonymise("王秀英于2026年3月15日投诉", KNOWN, -14, REF)
    assert out.text == "客户甲于2026年3月1日投诉"
    assert out.counts == {"name": 1, "date": 1}


@pytest.mark.parametrize("size", [20_000])
def test_a_long_text_is_scrubbed_in_reasonable_time(size):
    # A guard against a pattern that backtracks without bound (not a benchmark: the bound is loose).
    text = ("客户反映朝阳区某某街道办事处附近的网点排队时间过长" * (size // 24))[:size]
    started = time.monotonic()
    scrub(text, KNOWN)
    assert time.monotonic() - started < 5


def test_a_staff_name_after_a_job_word_keeps_the_word():
    known = Known(people=(Person("王秀英", "customer"), Person("郭丽萍", "staff"), Person("张晓东", "staff")))
    out = scrub("大堂经理张晓东请柜员郭丽萍向客户王秀英致歉；郭丽萍表示接受。", known)
    assert out.text == "大堂经理乙请柜员甲向客户甲致歉；员工甲表示接受。"
