"""A case the customer brings in through a channel, with no member of staff acting (SPEC §9)."""

from __future__ import annotations

import io

import pytest

from redressal.cases import services as svc
from redressal.cases.commands import Upload
from redressal.cases.models import Case, Evidence
from redressal.core.errors import ValidationFailed
from redressal.customers.services import CustomerInput, create_customer

PORTAL = svc.ChannelOrigin("portal", "submission-1")


def _input(**extra: object) -> svc.RegisterInput:
    values: dict = {"request_type": "complaint", "channel": "mobile_banking", "description": "转账失败但已扣款"}
    values.update(extra)
    return svc.RegisterInput(**values)


def test_a_new_customer_lands_in_the_intake_unit_and_the_event_says_which_channel(bank):
    case = svc.receive_case(_input(), origin=PORTAL, customer=CustomerInput(name="王芳", phone="13800138000"))
    assert case.unit == bank.ho  # no REDRESSAL_INTAKE_UNIT: the head office
    assert case.registered_by is None
    assert case.customer is not None and case.customer.home_unit == bank.ho
    first = case.events.order_by("seq").first()
    assert first is not None and first.actor is None and first.actor_role == "customer"
    assert first.payload["via"] == {"adapter": "portal", "reference": "submission-1"}
    # What triage and routing add afterwards is the system's, not the customer's.
    assert {e.actor_role for e in case.events.order_by("seq")[1:]} <= {"system"}
    assert case.customer_messages.filter(kind="acknowledgement").exists()


def test_a_known_customer_lands_in_their_home_branch(bank):
    known = create_customer(CustomerInput(name="李雷", phone="13900139000"), actor=None, home_unit=bank.branch)
    case = svc.receive_case(_input(), origin=PORTAL, customer=known)
    assert case.unit == bank.branch


def test_the_intake_unit_is_configurable_and_a_wrong_code_is_named(bank, settings):
    settings.INTAKE_UNIT = "BJ"
    assert svc.receive_case(_input(complainant_name="匿名"), origin=PORTAL, customer=None).unit == bank.branch
    settings.INTAKE_UNIT = "NOPE"
    with pytest.raises(ValidationFailed) as err:
        svc.receive_case(_input(complainant_name="匿名"), origin=PORTAL, customer=None)
    assert "NOPE" in err.value.message


@pytest.mark.parametrize(
    "extra",
    [
        {"unit_code": "BJ01"},
        {"respondent_staff_username": "teller1"},
        {"source": "regulator_forwarded", "regulator": "nfra", "regulator_case_number": "X1"},
        {"answer": "已解答"},
        {"customer_id": 1},
    ],
)
def test_a_channel_cannot_choose_what_only_staff_may(bank, extra):
    before = Case.objects.count()
    with pytest.raises(ValidationFailed):
        svc.receive_case(_input(**extra), origin=PORTAL, customer=None)
    assert Case.objects.count() == before


def test_attachments_are_evidence_handed_in_by_the_customer(bank):
    upload = Upload(filename="回单.pdf", content_type="application/pdf", stream=io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
    case = svc.receive_case(
        _input(attachments=[upload], attachment_kind="electronic", complainant_name="来信人"),
        origin=svc.ChannelOrigin("email", "<m1@example.cn>"),
        customer=None,
    )
    ev = Evidence.objects.get(case=case)
    assert ev.uploaded_by is None and ev.from_customer


def test_correspondence_is_on_the_history_as_the_customers_in_any_state(bank):
    case = svc.receive_case(_input(complainant_name="来信人"), origin=PORTAL, customer=None)
    svc.withdraw_case(case.pk, actor=bank.actor("hosup"), reason="客户撤回")
    upload = Upload(filename="补充.txt", content_type="text/plain", stream=io.BytesIO("补充材料".encode()))
    mail = svc.ChannelOrigin("email", "<reply-1@example.cn>")
    after = svc.receive_correspondence(case.pk, origin=mail, text="我还有话说", attachments=[upload])
    assert after.status == Case.objects.get(pk=case.pk).status == "withdrawn"
    letter, evidence = list(after.events.order_by("-seq")[:2])[::-1]
    assert (letter.type, letter.reason, letter.actor_role) == ("correspondence_received", "我还有话说", "customer")
    assert letter.payload["via"]["reference"] == "<reply-1@example.cn>"
    assert evidence.type == "evidence_added" and evidence.actor_role == "customer"


def test_empty_correspondence_is_refused_and_writes_nothing(bank):
    case = svc.receive_case(_input(complainant_name="来信人"), origin=PORTAL, customer=None)
    seq = case.last_event_seq
    with pytest.raises(ValidationFailed):
        svc.receive_correspondence(case.pk, origin=PORTAL, text="  ")
    case.refresh_from_db()
    assert case.last_event_seq == seq
