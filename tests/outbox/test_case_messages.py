"""The customer hears every step SPEC §10 lists, in their own language: the review's acknowledgement
and decision, the satisfaction survey after a decision, the follow-up visit."""

from __future__ import annotations

import pytest

from redressal.cases import services as svc
from redressal.cases.models import Case
from redressal.customers.services import CustomerInput
from tests.flows import accept, accept_and_respond, respond
from tests.services.test_lifecycle import register

pytestmark = pytest.mark.django_db


def _kinds(case: Case) -> list[str]:
    return list(case.customer_messages.order_by("pk").values_list("kind", flat=True))


def test_a_decided_complaint_asks_for_a_rating_and_a_consultation_does_not(bank):
    case = register(bank)
    accept_and_respond(case.pk, bank.actor("handler"))
    assert _kinds(case) == ["acknowledgement", "decision_notice", "satisfaction_survey"]
    survey = case.customer_messages.get(kind="satisfaction_survey")
    assert case.case_number in survey.body and "{" not in survey.body

    question = register(bank, request_type="consultation", description="请问信用卡年费怎么收？")
    svc.answer_case(question.pk, actor=bank.actor("handler"), answer="年费按卡种收取，详见章程。")
    assert _kinds(question) == ["acknowledgement"]


def test_a_review_is_acknowledged_with_both_numbers_and_decided_as_a_review(bank):
    case = register(bank)
    handler = bank.actor("handler")
    accept_and_respond(case.pk, handler)
    svc.record_feedback(case.pk, actor=handler, result="dissatisfied", close_reason="已充分解释")
    review = svc.request_review(case.pk, actor=bank.actor("compliance"), reason="客户不服，书面申请核查")
    ack = review.customer_messages.get(kind="review_acknowledgement")
    assert case.case_number in ack.body and review.case_number in ack.body

    supervisor = bank.actor("hosup")
    accept(review.pk, supervisor)
    svc.start_investigation(review.pk, actor=supervisor)
    respond(review.pk, supervisor, outcome="upheld")
    assert _kinds(review) == ["review_acknowledgement", "review_decision"]


def test_closing_with_a_visit_planned_tells_the_customer_by_when(bank):
    # The elderly complainant of ``register`` makes the visit mandatory (domain.followup).
    case = register(bank)
    handler = bank.actor("handler")
    accept_and_respond(case.pk, handler)
    svc.record_feedback(case.pk, actor=handler, result="satisfied", csat=5)
    visit = case.visits.get()
    message = case.customer_messages.get(kind="follow_up_visit")
    assert visit.due_date.isoformat() in message.body


def test_an_english_speaking_customer_is_written_to_in_english_whoever_registers(bank):
    customer = CustomerInput(name="John Smith", phone="13912345678", language="en")
    case = register(bank, customer=customer)
    ack = case.customer_messages.get(kind="acknowledgement")
    assert ack.body.lower().startswith("your complaint has been registered as " + case.case_number.lower())
    chinese = register(bank)
    assert chinese.customer_messages.get(kind="acknowledgement").body.startswith("您的投诉已登记")
