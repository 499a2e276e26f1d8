"""Customer messages delivered for real: to an SMTP server and an HTTP SMS gateway started by the test
(tests/outbox/conftest.py), with the retries, dead letters and night-hour deferral they cause."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.customers.services import CustomerInput
from redressal.domain.delivery import MAX_ATTEMPTS, backoff
from redressal.notify.delivery import claim, drain
from redressal.notify.models import CustomerMessage, DeliveryAttempt, MessageTemplate
from redressal.notify.services import message_customer
from redressal.outbox.contacts import contacts_for
from tests.conftest import local

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
EMAIL = "wang.xiuying@example.com"


def register(bank, *, contact_channel: str = "sms", phone: str = PHONE, email: str = ""):
    data = svc.RegisterInput(
        request_type="complaint",
        channel="hotline",
        description="信用卡年费被重复收取两次，要求退还。",
        customer=CustomerInput(name="王秀英", phone=phone, email=email, contact_channel=contact_channel),
    )
    return svc.register_case(data, actor=bank.actor("agent"))


def ack(case) -> CustomerMessage:
    return CustomerMessage.objects.get(case=case, kind="acknowledgement")


def test_sms_goes_to_the_gateway_once_with_its_key_and_token(bank, channels_env, sms_gateway):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank)
        first = drain(contacts_for)
        again = drain(contacts_for)  # the job runs again: nothing is sent twice
    message = ack(case)
    assert first.sent == 1 and again.claimed == 0
    assert len(sms_gateway.requests) == 1
    request = sms_gateway.requests[0]
    assert request["auth"] == "Bearer s3cret"
    assert request["body"] == {"id": message.key, "to": PHONE, "text": message.body}
    assert case.case_number in message.body
    assert message.state == "sent" and message.delivered_channel == "sms" and message.delivered_to == "138****5678"
    assert message.sent_at == local(2024, 9, 20, 10) and not message.sink
    attempts = list(message.delivery_attempts.values_list("channel", "outcome", "error"))
    assert attempts == [("sms", "sent", "")]


def test_email_goes_over_smtp_with_the_key_as_message_id(bank, channels_env, smtp_server, sms_gateway):
    _controller, mailbox = smtp_server
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank, contact_channel="email", email=EMAIL)
        drain(contacts_for)
    message = ack(case)
    assert len(mailbox.messages) == 1 and not sms_gateway.requests
    recipients, mail = mailbox.messages[0]
    assert recipients == [EMAIL]
    assert mail["Message-ID"] == f"<{message.key}@bank.example>"
    assert mail["From"] == "kefu@bank.example" and case.case_number in mail["Subject"]
    assert message.body in mail.get_payload(decode=True).decode()
    assert message.delivered_channel == "email" and message.delivered_to == "w***@example.com"


def test_a_failing_gateway_falls_back_to_email(bank, channels_env, smtp_server, sms_gateway):
    _controller, mailbox = smtp_server
    sms_gateway.mode = "500"
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank, contact_channel="sms", email=EMAIL)
        drain(contacts_for)
    message = ack(case)
    assert message.state == "sent" and message.delivered_channel == "email" and len(mailbox.messages) == 1
    attempts = list(message.delivery_attempts.order_by("pk").values_list("channel", "outcome", "error"))
    assert attempts == [("sms", "failed", "SMS gateway HTTP 503"), ("email", "sent", "")]
    # No personal data in what the attempts keep.
    assert not DeliveryAttempt.objects.filter(error__contains="1381").exists()


def test_retries_back_off_then_the_message_is_a_dead_letter(bank, channels_env, sms_gateway):
    sms_gateway.mode = "500"
    start = local(2024, 9, 20, 10)
    with time_machine.travel(start, tick=False):
        case = register(bank)
    at = start
    for round_ in range(1, MAX_ATTEMPTS + 1):
        drain(contacts_for, at=at)
        assert drain(contacts_for, at=at).claimed == 0  # not due again before its backoff
        message = ack(case)
        assert message.attempts == round_
        if round_ < MAX_ATTEMPTS:
            assert message.state == "retry" and message.next_attempt_at == at + backoff(round_)
            at = message.next_attempt_at
    assert message.state == "dead" and "HTTP 503" in message.last_error
    assert len(sms_gateway.requests) == MAX_ATTEMPTS
    assert drain(contacts_for, at=at + timedelta(days=1)).claimed == 0  # a dead letter waits for a person


def test_a_gateway_that_hangs_is_a_timeout_and_a_retry(bank, channels_env, sms_gateway):
    sms_gateway.mode = "hang"
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank)
        drain(contacts_for)
    message = ack(case)
    assert message.state == "retry"
    assert list(message.delivery_attempts.values_list("error", flat=True)) == ["SMS gateway timeout"]


def test_no_sms_at_night_deferred_to_the_morning_but_urgent_goes(bank, channels_env, sms_gateway):
    night = local(2024, 9, 20, 22, 30)
    with time_machine.travel(night, tick=False):
        case = register(bank)
        urgent = message_customer(case, "pause_notice", "外部鉴定", urgent=True)
        drain(contacts_for)
    message = ack(case)
    assert message.state == "deferred" and message.next_attempt_at == local(2024, 9, 21, 8)
    assert [r["body"]["id"] for r in sms_gateway.requests] == [urgent.key]  # only the urgent one went
    assert drain(contacts_for, at=local(2024, 9, 21, 7, 59)).claimed == 0
    drain(contacts_for, at=local(2024, 9, 21, 8, 0))
    message.refresh_from_db()
    assert message.state == "sent" and message.sent_at == local(2024, 9, 21, 8)
    assert len(sms_gateway.requests) == 2


def test_a_claimed_message_is_not_claimed_by_a_second_worker(bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        register(bank)
        mine = claim(local(2024, 9, 20, 10))
        theirs = claim(local(2024, 9, 20, 10))
    assert len(mine) == 1 and theirs == []
    # A worker that died holding it frees it once the claim runs out.
    assert len(claim(local(2024, 9, 20, 10, 6))) == 1


def test_demo_mode_delivers_to_the_local_sink(bank, monkeypatch):
    for name in ("REDRESSAL_SMTP_URL", "REDRESSAL_SMS_GATEWAY_URL"):
        monkeypatch.delenv(name, raising=False)
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank)
        drain(contacts_for)
    message = ack(case)
    assert message.state == "sent" and message.sink and message.delivered_to == "138****5678"


def test_no_contact_is_a_dead_letter_at_once(bank, channels_env, sms_gateway):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank, phone="")
        drain(contacts_for)
    message = ack(case)
    assert message.state == "dead" and message.last_error == "no deliverable contact" and not sms_gateway.requests


def test_the_active_newest_template_words_the_message(bank):
    MessageTemplate.objects.create(
        kind="acknowledgement", language="zh-hans", version=2, body="【某银行】已受理 {case_number}，请留意后续通知。"
    )
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank)
    message = ack(case)
    assert message.body == f"【某银行】已受理 {case.case_number}，请留意后续通知。" and message.template_version == 2
