"""Normalisation and near-duplicate text: the parts that need no model."""

from __future__ import annotations

import pytest

from redressal.core.text import normalize, words
from redressal.triage.ml import NearDuplicateIndex, similarity
from redressal.triage.ml.pipeline import WordGrams, prepare

COMPLAINT = "本人于3月5日用贵行手机银行给工商银行账户转账5,000.00元，钱扣了对方没收到。打客服电话三次，每次都说等。"
RESENT = "本人于3月8日用贵行手机银行给工商银行账户转账5,000.00元，钱扣了对方一直没收到。客服电话打了三次，每次都说等。"
UNRELATED = "客户建议网点周末增开对公业务窗口。"


def test_full_width_and_traditional_fold_to_the_same_text():
    assert normalize("ＡＴＭ吞卡　１２３") == "atm吞卡 123"
    assert normalize("信用卡年費扣了兩次") == "信用卡年费扣了两次"
    assert words("信用卡年費") == words("信用卡年费")


def test_features_fold_numbers_so_amounts_do_not_split_a_template():
    assert prepare("转账5,000.00元") == prepare("转账80,000.00元")
    grams = WordGrams(2)("信用卡年费重复收取")
    assert "信用卡" in grams and any(" " in g for g in grams)


def test_near_duplicate_scores_above_unrelated():
    assert similarity(COMPLAINT, COMPLAINT) == 1.0
    near, far = similarity(COMPLAINT, RESENT), similarity(COMPLAINT, UNRELATED)
    assert 0.0 <= far < near <= 1.0
    assert near > 0.5 > far
    assert similarity("", "") == 0.0
    # The same text in traditional characters and full-width digits is the same text.
    assert similarity("信用卡年費被重複收取１次", "信用卡年费被重复收取1次") == 1.0


def test_index_finds_the_near_duplicate_best_first():
    index = NearDuplicateIndex(threshold=0.5)
    index.add("c1", COMPLAINT)
    index.add("c2", UNRELATED)
    index.add("c3", "客户反映ATM吞卡后未出钞，账户却已扣款，要求退还款项。")
    found = index.query(RESENT)
    assert [key for key, _ in found] == ["c1"]
    assert found[0][1] == pytest.approx(similarity(RESENT, COMPLAINT))
    index.add("c4", COMPLAINT + "请尽快处理。")
    keys = [key for key, _ in index.query(COMPLAINT)]
    assert keys[0] == "c1" and "c4" in keys and "c2" not in keys
    index.remove("c1")
    assert "c1" not in [key for key, _ in index.query(COMPLAINT)]
    assert index.query("") == [] and index.query(UNRELATED)[0][0] == "c2"


def test_index_re_adding_a_key_replaces_its_text():
    index = NearDuplicateIndex(threshold=0.6)
    index.add(1, COMPLAINT)
    index.add(1, UNRELATED)
    assert len(index) == 1
    assert index.query(COMPLAINT) == []
    with pytest.raises(ValueError):
        NearDuplicateIndex(threshold=0)
