"""The complaint lifecycle through the services, on the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent, Decision, FollowUpVisit
from redressal.cases.services.events import verify_case_chain
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.customers.services import CustomerInput
from redressal.triage.services import confirm_classification
from tests.conftest import local
from tests.flows import accept, accept_and_respond, confirm_codes, respond

pytestmark = pytest.mark.django_db


def register(bank, **kw):
    data = svc.RegisterInput(
        request_type=kw.pop("request_type", "complaint"),
        channel=kw.pop("channel", "hotline"),
        description=kw.pop("description", "信用卡年费被重复收取两次，要求退还。"),
        customer=kw.pop("customer", CustomerInput(name="王秀英", phone="13812345678", id_number="110101195001011234")),
        **kw,
    )
    return svc.register_case(data, actor=bank.actor(kw.pop("by", "agent")))


def test_register_numbers_acknowledges_and_sets_deadlines(bank):
    with time_machine.travel(local(2024, 9, 20, 10, 0), tick=False):
        case = register(bank)
    assert case.status == "registered"
    assert case.case_number.startswith("TS20240920BJ")
    kinds = {d.kind: d for d in case.deadlines.all()}
    assert kinds["decision"].due_at == local(2024, 10, 6)  # 2024-10-05 24:00
    assert kinds["decision"].legal_due_at == local(2024, 10, 9)
    assert case.customer_messages.filter(kind="acknowledgement").count() == 1
    assert case.customer.vulnerable == ["elderly"]
    assert list(case.events.values_list("type", flat=True)) == ["registered", "triaged"]


def test_full_path_with_approval_above_limit(bank):
    with time_machine.travel(local(2024, 9, 20, 10, 0), tick=False) as t:
        case = register(bank)
        handler, sup = bank.actor("handler"), bank.actor("sup")
        svc.accept_case(
            case.pk, actor=handler, contact_channel="phone", contact_outcome="reached", no_direct_interest=True
        )
        svc.start_investigation(case.pk, actor=handler)
        svc.add_note(case.pk, actor=handler, text="调取交易流水，确认重复扣费。")
        case = svc.propose_solution(
            case.pk, actor=handler, solution="退还重复年费并补偿", items=[{"kind": "refund", "amount": "600.00"}]
        )
        assert case.status == "pending_approval"  # ¥600 exceeds the handler's ¥500
        with pytest.raises(ServiceError) as exc:
            svc.respond_to_case(
                case.pk,
                actor=handler,
                outcome="upheld",
                reasons="r",
                basis="b",
                remedy="x",
                notice=svc.Notice("phone", "答复", ["review", "mediation", "arbitration", "litigation"]),
            )
        assert exc.value.code == "lifecycle.invalid_transition"
        case = svc.approve_proposal(case.pk, actor=sup)
        assert case.status == "investigating"
        confirm_codes(case.pk, handler)
        t.shift(timedelta(days=3))
        case = svc.respond_to_case(
            case.pk,
            actor=handler,
            outcome="upheld",
            reasons="重复扣费属实",
            basis="信用卡领用合约第5条",
            remedy="退还600元",
            notice=svc.Notice("phone", "经核实……", ["review", "mediation", "arbitration", "litigation"]),
        )
        assert case.status == "responded"
        assert case.decisions.get().on_time is True
        case = svc.record_feedback(case.pk, actor=handler, result="satisfied", csat=5)
        assert case.status == "closed"
    # Elderly and compensated: the follow-up visit is mandatory.
    assert FollowUpVisit.objects.get(case=case).mandatory is True
    assert verify_case_chain(case) is None
    seqs = list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_approver_must_hold_the_limit_and_not_be_the_proposer(bank):
    case = register(bank)
    sup = bank.actor("sup")
    svc.accept_case(case.pk, actor=sup, contact_channel="phone", contact_outcome="reached", no_direct_interest=True)
    svc.start_investigation(case.pk, actor=sup)
    svc.propose_solution(case.pk, actor=sup, solution="补偿", items=[{"kind": "compensation", "amount": "20000"}])
    with pytest.raises(ServiceError) as exc:
        svc.approve_proposal(case.pk, actor=sup)
    assert exc.value.code == "approval.self"
    with pytest.raises(ServiceError) as exc:
        svc.approve_proposal(case.pk, actor=bank.actor("hosup"))
    assert exc.value.code == "approval.limit"
    assert svc.approve_proposal(case.pk, actor=bank.actor("head")).status == "investigating"


def test_recusal_blocks_the_respondent_and_their_manager(bank):
    case = register(bank, respondent_staff_username="handler2")
    with pytest.raises(ServiceError) as exc:
        svc.accept_case(
            case.pk,
            actor=bank.actor("handler2"),
            contact_channel="phone",
            contact_outcome="reached",
            no_direct_interest=True,
        )
    assert exc.value.code == "recusal.conflict"
    with pytest.raises(ServiceError):
        svc.assign_case(case.pk, actor=bank.actor("head"), assignee="supervisor1")  # handler2's manager
    assert svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="handler1").assignee.username == "handler1"


def test_permissions_are_checked_in_the_service(bank):
    case = register(bank)
    with pytest.raises(PermissionDenied):
        svc.accept_case(
            case.pk,
            actor=bank.actor("agent"),
            contact_channel="phone",
            contact_outcome="reached",
            no_direct_interest=True,
        )
    with pytest.raises(PermissionDenied):
        svc.start_investigation(case.pk, actor=bank.actor("collab"))
    assert Case.objects.get(pk=case.pk).last_event_seq == 2  # registered, triaged


def test_consultation_short_path(bank):
    case = register(bank, request_type="consultation", description="请问跨行转账多久到账？")
    assert {d.kind for d in case.deadlines.all()} == {"first_contact"}
    with pytest.raises(ServiceError) as exc:
        svc.accept_case(
            case.pk,
            actor=bank.actor("handler"),
            contact_channel="phone",
            contact_outcome="reached",
            no_direct_interest=True,
        )
    assert exc.value.code == "lifecycle.short_path"
    case = svc.answer_case(case.pk, actor=bank.actor("agent"), answer="一般实时到账，最迟T+1。")
    assert case.status == "closed"


def test_withdraw_stops_every_clock(bank):
    with time_machine.travel(local(2024, 3, 1, 9), tick=False) as t:
        case = register(bank)
        t.shift(timedelta(days=2))
        case = svc.withdraw_case(case.pk, actor=bank.actor("handler"), reason="客户撤诉")
        t.shift(timedelta(days=40))
        from redressal.cases.services.deadlines import current_deadlines
        from redressal.core.clock import now

        states = {d.kind: d.state for d in current_deadlines(case, now())}
    assert case.status == "withdrawn"
    assert states["decision"] == "stopped"


def test_dissatisfied_close_needs_reason_and_review_is_independent(bank):
    case = register(bank)
    h = bank.actor("handler")
    accept_and_respond(case.pk, h)
    with pytest.raises(ServiceError) as exc:
        svc.record_feedback(case.pk, actor=h, result="dissatisfied")
    assert exc.value.field == "close_reason"
    svc.record_feedback(case.pk, actor=h, result="dissatisfied", close_reason="已充分解释")
    review = svc.request_review(case.pk, actor=bank.actor("compliance"), reason="客户不服，书面申请核查")
    assert review.kind == "review" and review.unit.code == "HO"
    assert {d.kind for d in review.deadlines.all()} >= {"review_decision"}
    # handler1's own manager may not review it.
    with pytest.raises(ServiceError) as exc:
        svc.assign_case(review.pk, actor=bank.actor("senior"), assignee="supervisor1")
    assert exc.value.code in ("review.independence", "assignee_scope")
    accept(review.pk, bank.actor("hosup"))


def test_money_is_decimal(bank):
    case = register(bank, amount=Decimal("1234.56"))
    assert Case.objects.get(pk=case.pk).amount == Decimal("1234.56")


def test_merge_records_on_both_cases(bank):
    first = register(bank)
    repeat = register(bank, description="同一事项再次投诉：年费重复收取。")
    merged = svc.merge_case(repeat.pk, actor=bank.actor("handler"), into_case_number=first.case_number, reason="重复")
    assert merged.status == "merged" and merged.merged_into_id == first.pk
    assert first.events.filter(type="merge_received").count() == 1
    with pytest.raises(ServiceError) as exc:
        svc.merge_case(first.pk, actor=bank.actor("handler"), into_case_number=first.case_number)
    assert exc.value.code == "merge.self"
    assert verify_case_chain(Case.objects.get(pk=first.pk)) is None


def test_no_reply_closes_after_the_profile_days(bank):
    from redressal.cases.services.decision import close_unanswered
    from redressal.core.clock import now

    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = register(bank)
        accept_and_respond(case.pk, bank.actor("handler"))
        t.shift(timedelta(days=6))
        assert close_unanswered(now()) == 0
        t.shift(timedelta(days=2))
        assert close_unanswered(now()) == 1
    case.refresh_from_db()
    assert case.status == "closed"
    last = case.events.order_by("-seq").first()
    assert last.type == "closed" and last.actor is None and last.reason == "auto_close_no_reply"


def test_a_complaint_is_decided_only_with_confirmed_b_and_c_codes(bank):
    """The regulatory report counts confirmed codes: the decision waits for both, nothing is stored."""
    handler = bank.actor("handler")
    with time_machine.travel(local(2024, 9, 20, 10, 0), tick=False):
        case = register(bank)
        accept(case.pk, handler)
        svc.start_investigation(case.pk, actor=handler)
        confirm_classification(case.pk, actor=handler, axis="business", code="B01")
        with pytest.raises(ServiceError) as exc:
            respond(case.pk, handler, confirm=False)
        assert exc.value.status == 400 and exc.value.field == "classification"
        assert "cause" in exc.value.message and "business" not in exc.value.message
        assert Case.objects.get(pk=case.pk).status == "investigating" and not Decision.objects.exists()
        confirm_classification(case.pk, actor=handler, axis="cause", code="C01")
        assert respond(case.pk, handler, confirm=False).status == "responded"
