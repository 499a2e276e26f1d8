"""Duplicates (SPEC §6): candidates with a score among the same person's open cases; an exact
re-submission merged automatically by the system, naming the rule; a different customer never."""

from __future__ import annotations

from decimal import Decimal

from redressal.cases.models import Case, CaseEvent
from redressal.triage.models import DuplicateCandidate
from redressal.triage.selectors import duplicate_candidates
from tests.triage.conftest import customer, register

TEXT = "信用卡年费被重复收取了两次，共计600元，要求退还多收的年费"


def test_near_duplicate_of_the_same_customer_is_a_candidate_with_a_score(bank, frozen):
    first = register(bank, TEXT, product="信用卡")
    second = register(bank, "信用卡年费被重复收取了两次，要求退还多收的年费，请尽快处理", customer_id=first.customer_id)
    assert second.status == "registered"
    cands = duplicate_candidates(second)
    assert [c["case_number"] for c in cands] == [first.case_number]
    assert 0.5 <= cands[0]["score"] < 1
    assert "same_customer" in cands[0]["reasons"]


def test_same_person_through_the_blind_index_and_same_transaction(bank, frozen):
    first = register(bank, "转账失败", transaction_ref="TX-20240910-01")
    # A second customer record with the same phone: the same person for duplicate purposes.
    again = register(
        bank,
        "对方说没收到钱",
        customer=customer(2, phone="13812340001"),
        transaction_ref="TX-20240910-01",
    )
    (cand,) = duplicate_candidates(again)
    assert cand["case_number"] == first.case_number
    assert {"same_person_index", "same_transaction"} <= set(cand["reasons"])
    assert cand["score"] >= 0.9
    assert again.status == "registered"  # not the same customer record: suggested, never merged


def test_reasons_name_what_makes_it_the_same_matter(bank, frozen):
    first = register(bank, "申请信用卡提额被拒，理由说不清楚", product="信用卡", transaction_ref="TX-20240910-02")
    card = {"customer_id": first.customer_id, "product": "信用卡"}
    # The same transaction: a candidate, though the text is unrelated; the shared product is no reason.
    again = register(bank, "信用卡还款以后积分一直没有到账", transaction_ref="TX-20240910-02", **card)
    (cand,) = duplicate_candidates(again)
    assert cand["reasons"][:2] == ["same_customer", "same_transaction"]
    assert "same_product" not in cand["reasons"] and float(cand["reasons"][2].removeprefix("text≈")) < 0.2
    # The same product with related text (words alone ≈0.53; the semantic model says more): a candidate,
    # the product named.
    fee = register(bank, "信用卡年费重复收取，要求退还多收的年费", **card)
    later = register(bank, "信用卡年费被重复收取了，到现在还没有退还多收的年费", **card)
    (cand,) = duplicate_candidates(later)
    assert cand["case_number"] == fee.case_number
    assert cand["reasons"][:2] == ["same_customer", "same_product"]
    assert float(cand["reasons"][2].removeprefix("text≈")) >= 0.53


def test_exact_resubmission_is_merged_by_the_system_naming_the_rule(bank, frozen):
    first = register(bank, TEXT, product="信用卡", amount=Decimal("600"))
    again = register(bank, f"  {TEXT}！ ", customer_id=first.customer_id, product="信用卡", amount=Decimal("600"))
    assert again.status == "merged"
    assert again.merged_into_id == first.pk
    merged = CaseEvent.objects.get(case=again, type="merged")
    assert merged.actor_id is None
    assert merged.payload["rule"] == "exact_resubmission"
    assert merged.payload["into"] == first.case_number
    received = CaseEvent.objects.get(case=first, type="merge_received")
    assert received.payload == {"from": again.case_number, "rule": "exact_resubmission"}
    # The merged case is not routed or counted further: its history stops at the merge.
    assert list(CaseEvent.objects.filter(case=again).values_list("type", flat=True)) == [
        "registered",
        "triaged",
        "merged",
    ]


def test_new_facts_are_not_merged(bank, frozen):
    first = register(bank, TEXT, amount=Decimal("600"))
    again = register(bank, TEXT, customer_id=first.customer_id, amount=Decimal("1200"))
    assert again.status == "registered"
    assert DuplicateCandidate.objects.filter(case=again, candidate=first).exists()


def test_different_customer_is_never_merged_or_suggested(bank, frozen):
    register(bank, TEXT, customer=customer(1))
    other = register(bank, TEXT, customer=customer(2))
    assert other.status == "registered"
    assert duplicate_candidates(other) == []


def test_closed_cases_are_not_candidates(bank, frozen):
    from redressal.cases import services as svc

    first = register(bank, TEXT)
    svc.withdraw_case(first.pk, actor=bank.actor("handler"), reason="客户撤诉")
    again = register(bank, TEXT, customer_id=first.customer_id)
    assert again.status == "registered"
    assert duplicate_candidates(again) == []


def test_exact_resubmission_is_judged_on_the_open_case_text_as_it_stands_now(bank, frozen):
    # No screen edits a description, but a data correction may: the open case's text as it is now
    # decides, not a hash of the text it was registered with.
    first = register(bank, TEXT, amount=Decimal("600"))
    corrected = TEXT.replace("600", "800")
    Case.objects.filter(pk=first.pk).update(description=corrected)
    again = register(bank, TEXT, customer_id=first.customer_id, amount=Decimal("600"))
    assert again.status == "registered"
    assert DuplicateCandidate.objects.filter(case=again, candidate=first).exists()
    once_more = register(bank, f"{corrected}。", customer_id=first.customer_id, amount=Decimal("600"))
    assert once_more.status == "merged" and once_more.merged_into_id == first.pk
