"""The same matter (SPEC §6, docs/decisions/0008): the same transaction, near-duplicate text, or the
same product with related text; a shared product alone is not the same matter."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from redressal.domain.triage import load_config
from redressal.domain.triage.config import MatterRule, TriageConfigError, parse_config
from redressal.domain.triage.matter import Complaint, same_matter

RULE = MatterRule(similarity_min=0.6, product_text_factor=0.75)  # product with text ≥ 0.45
CARD = Complaint(product="信用卡")


def test_the_shipped_config_states_the_rule():
    assert load_config().same_matter == RULE
    assert RULE.product_similarity_min == pytest.approx(0.45)


def test_the_same_transaction_is_the_same_matter_whatever_the_text():
    mine = Complaint(transaction_ref="TX-01", product="借记卡")
    assert same_matter(mine, Complaint(transaction_ref="TX-01"), 0.0, RULE) == ("same_transaction",)
    assert same_matter(mine, Complaint(transaction_ref="TX-02"), 0.0, RULE) == ()


def test_near_duplicate_text_is_the_same_matter_from_the_threshold_up():
    assert same_matter(Complaint(), Complaint(), 0.6, RULE) == ("text≈0.60",)
    assert same_matter(Complaint(), Complaint(), 0.83, RULE) == ("text≈0.83",)
    assert same_matter(Complaint(), Complaint(), 0.599, RULE) == ()


def test_the_same_product_needs_related_text():
    assert same_matter(CARD, CARD, 0.45, RULE) == ("same_product", "text≈0.45")
    assert same_matter(CARD, CARD, 0.449, RULE) == ()
    # Product only: two unrelated complaints about the one card are two matters.
    assert same_matter(CARD, CARD, 0.1, RULE) == ()
    assert same_matter(CARD, CARD, 0.0, RULE) == ()
    # Related but not near-duplicate text about another product is another matter.
    assert same_matter(CARD, Complaint(product="借记卡"), 0.5, RULE) == ()


def test_every_reason_that_holds_is_named():
    mine = Complaint(transaction_ref="TX-01", product="信用卡")
    assert same_matter(mine, mine, 0.7, RULE) == ("same_transaction", "same_product", "text≈0.70")
    # The transaction decides alone; an unrelated text adds no product or text reason.
    assert same_matter(mine, mine, 0.2, RULE) == ("same_transaction",)


def test_blank_facts_match_nothing():
    blank = Complaint(transaction_ref="", product="")
    assert same_matter(blank, blank, 0.5, RULE) == ()


def test_the_factor_is_configuration():
    looser = MatterRule(similarity_min=0.6, product_text_factor=0.5)
    assert same_matter(CARD, CARD, 0.3, looser) == ("same_product", "text≈0.30")
    assert same_matter(CARD, CARD, 0.3, RULE) == ()


def _raw() -> dict:
    text = resources.files("redressal.domain.triage").joinpath("triage-2.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@pytest.mark.parametrize(
    ("key", "value"), [("product_text_factor", 0), ("product_text_factor", 1.5), ("similarity_min", -0.1)]
)
def test_config_refuses_a_threshold_outside_zero_to_one(key, value):
    bad = _raw()
    bad["same_matter"][key] = value
    with pytest.raises(TriageConfigError, match=re.escape(f"same_matter.{key}: a number in (0, 1]")):
        parse_config(bad)


def test_config_refuses_a_missing_factor():
    bad = _raw()
    del bad["same_matter"]["product_text_factor"]
    with pytest.raises(TriageConfigError, match=re.escape("same_matter.product_text_factor: missing")):
        parse_config(bad)
