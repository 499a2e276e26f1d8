"""The shipped starter model through the interface the triage app calls."""

from __future__ import annotations

import pytest

from redressal.domain.codes import load_codes
from redressal.triage import ml


@pytest.fixture(scope="module")
def starter():
    from redressal.triage.ml import store

    path = sorted(store.shipped_dir().glob("starter-*.skops"))[-1]
    ml.reload(path)
    return path


def test_suggest_gives_every_axis_with_a_probability_and_the_model_version(starter):
    info = ml.model_info()
    result = ml.suggest("信用卡年费扣了两次，要求退还")
    assert set(result) == set(ml.AXES)
    for axis, s in result.items():
        assert isinstance(s, ml.Suggestion)
        assert 0.0 <= s.confidence <= 1.0
        assert s.model_version == info["version"] == "starter-1"
        assert s.code in info["labels"][axis]
        assert s.label == info["labels"][axis][s.code]
    assert result["business"].label == "信用卡"
    table = load_codes()
    assert table.is_valid("B", result["business"].code) and table.is_valid("C", result["cause"].code)


def test_model_info_reports_held_out_metrics_per_axis(starter):
    info = ml.model_info()
    assert info["training_size"] > 1000
    for axis in ml.AXES:
        m = info["metrics"][axis]
        assert 0.0 <= m["macro_f1"] <= 1.0 and 0.0 <= m["accuracy"] <= 1.0 and m["n"] > 0


@pytest.mark.parametrize(
    ("text", "axis", "code"),
    [
        ("信用卡年费扣了两次", "business", "B0302"),
        ("我在你们银行买的理财产品亏了三万块，当时说是保本的", "business", "B0801"),
        ("ATM机吞了我的卡，钱也没吐出来", "business", "B0301"),
        ("My credit card annual fee was charged twice this year, please refund one.", "business", "B0302"),
        ("The mobile banking app failed and my transfer was debited twice.", "business", "B04"),
        ("催收公司天天打电话骚扰我的家人和同事", "cause", "C12"),
        ("请问信用卡分期的手续费怎么算？客户咨询", "request_type", "consultation"),
    ],
)
def test_starter_model_gets_clear_unseen_sentences_right(starter, text, axis, code):
    assert ml.suggest(text)[axis].code == code


def test_traditional_and_full_width_text_gets_the_same_suggestion(starter):
    simplified = ml.suggest("信用卡年费扣了两次")
    traditional = ml.suggest("信用卡年費扣了兩次")
    assert simplified["business"] == traditional["business"]
