"""What leaves for WeChat, against a local WeChat API the test starts (tests/wechat/conftest.py):
staff answers (customer-service messages) and template messages from the outbox, with failures,
5xx answers and timeouts — retried and dead-lettered as the other channels are."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import time_machine

from redressal.conversations import services as conv
from redressal.conversations.models import ChannelBinding, Conversation
from redressal.domain.delivery import MAX_ATTEMPTS, backoff
from redressal.notify.delivery import drain
from redressal.notify.models import CustomerMessage
from redressal.outbox.contacts import contacts_for
from tests.conftest import local
from tests.wechat.helpers import APPID, OPENID, SECRET, signed_query, text_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_bj(settings):
    settings.INTAKE_UNIT = "BJ"


def push(client, text: str, msg_id: int):
    return client.post(
        f"/wechat/callback?{urlencode(signed_query())}",
        data=text_xml(text, msg_id=msg_id).encode(),
        content_type="text/xml",
    )


def test_staff_answer_reaches_wechat_as_a_customer_service_message(client, wechat_env, intake_bj, bank):
    push(client, "年费被重复收取", 1)
    c = Conversation.objects.get()
    message = conv.answer(bank.actor("agent"), c.pk, "您好，已为您核实。")
    assert message.delivery == "sent"
    token, send = wechat_env.requests
    assert token["method"] == "GET" and token["path"].endswith("/cgi-bin/token")
    assert token["query"] == {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    assert send["path"].endswith("/cgi-bin/message/custom/send")
    assert send["query"]["access_token"] == "TOKEN-1"
    assert send["body"] == {"touser": OPENID, "msgtype": "text", "text": {"content": "您好，已为您核实。"}}
    # The token is kept: a second answer fetches none.
    conv.answer(bank.actor("agent"), c.pk, "还有其他问题吗？")
    assert len(wechat_env.sent("/token")) == 1 and len(wechat_env.sent("/custom/send")) == 2


@pytest.mark.parametrize(
    ("mode", "error"),
    [("500", "WeChat API HTTP 502"), ("errcode", "WeChat API error 45015"), ("hang", "WeChat API timeout")],
)
def test_a_failing_gateway_is_shown_on_the_answer(client, wechat_env, intake_bj, bank, mode, error):
    push(client, "年费被重复收取", 1)
    c = Conversation.objects.get()
    conv.answer(bank.actor("agent"), c.pk, "先取令牌")  # the token is fetched while the gateway answers
    wechat_env.mode = mode
    message = conv.answer(bank.actor("agent"), c.pk, "您好")
    assert message.delivery == "failed" and message.error == error
    assert Conversation.objects.get().status == "waiting"


def test_not_configured_to_send_is_a_failure_not_a_crash(client, wechat_env, intake_bj, bank, monkeypatch):
    push(client, "年费被重复收取", 1)
    monkeypatch.delenv("REDRESSAL_WECHAT_SECRET")
    message = conv.answer(bank.actor("agent"), Conversation.objects.get().pk, "您好")
    assert message.delivery == "failed" and "REDRESSAL_WECHAT_SECRET" in message.error
    assert wechat_env.requests == []


# --- template messages from the outbox ---


@pytest.fixture
def templates(monkeypatch, wechat_env):
    monkeypatch.setenv("REDRESSAL_WECHAT_TEMPLATES", "acknowledgement=TPL-ACK,*=TPL-ANY")
    monkeypatch.setenv("REDRESSAL_DELIVERY_TIMEOUT", "0.5")
    return wechat_env


def case_from_wechat(client, bank, *, msg_id: int = 1):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        push(client, "信用卡年费被重复收取两次，要求退还。", msg_id)
        c = Conversation.objects.get(case__isnull=True)
        return conv.turn_into_case(bank.actor("handler"), c.pk, conv.CaseFromConversation(customer_name="王秀英"))


def test_the_acknowledgement_goes_as_a_template_message(client, bank, intake_bj, templates):
    case = case_from_wechat(client, bank)
    with time_machine.travel(local(2024, 9, 20, 10, 1), tick=False):
        result = drain(contacts_for)
    ack = CustomerMessage.objects.get(case=case, kind="acknowledgement")
    assert result.sent >= 1 and ack.state == "sent" and ack.delivered_channel == "wechat"
    assert ack.delivered_to == "openid …" + OPENID[-4:]
    (request,) = [r for r in templates.sent("/message/template/send") if r["body"]["template_id"] == "TPL-ACK"]
    assert request["body"]["touser"] == OPENID
    assert request["body"]["data"]["keyword1"] == {"value": case.case_number}
    assert request["body"]["data"]["remark"] == {"value": ack.body}


def test_no_binding_no_wechat(client, bank, intake_bj, templates):
    case = case_from_wechat(client, bank)
    ChannelBinding.objects.all().delete()
    with time_machine.travel(local(2024, 9, 20, 10, 1), tick=False):
        drain(contacts_for)
    ack = CustomerMessage.objects.get(case=case, kind="acknowledgement")
    # WeChat was the only way to reach her: no contact, a dead letter for staff, nothing sent.
    assert ack.state == "dead" and templates.sent("/template/send") == []


def test_template_failures_retry_then_dead_letter(client, bank, intake_bj, templates):
    case = case_from_wechat(client, bank)
    templates.mode = "500"
    at = local(2024, 9, 20, 10, 1)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with time_machine.travel(at, tick=False):
            drain(contacts_for)
        ack = CustomerMessage.objects.get(case=case, kind="acknowledgement")
        if attempt < MAX_ATTEMPTS:
            # the access-token fetch is the first request to fail (503), the message never leaves
            assert ack.state == "retry" and ack.last_error == "wechat: WeChat API HTTP 503"
            assert ack.next_attempt_at == at + backoff(attempt)
            at = ack.next_attempt_at
    assert ack.state == "dead" and ack.attempts == MAX_ATTEMPTS
    assert ack.delivery_attempts.filter(channel="wechat", outcome="failed").count() == MAX_ATTEMPTS


def test_a_template_timeout_falls_back_to_sms(client, bank, intake_bj, templates, monkeypatch, sms_gateway):
    case = case_from_wechat(client, bank)
    customer = case.customer
    customer.phone = "13812345678"
    customer.save(update_fields=["phone"])
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_URL", sms_gateway.url)
    templates.mode = "hang"
    with time_machine.travel(local(2024, 9, 20, 10, 1), tick=False):
        drain(contacts_for)
    ack = CustomerMessage.objects.get(case=case, kind="acknowledgement")
    channels = list(ack.delivery_attempts.order_by("pk").values_list("channel", "outcome", "error"))
    assert channels[0] == ("wechat", "failed", "WeChat API timeout")
    assert channels[1] == ("sms", "sent", "")
    assert ack.state == "sent" and ack.delivered_channel == "sms"
    assert [r["body"]["to"] for r in sms_gateway.requests] == ["13812345678"]


def test_a_template_refused_by_wechat_is_retried_with_its_error_code(client, bank, intake_bj, templates):
    case = case_from_wechat(client, bank)
    templates.mode = "errcode"  # the token is issued; the template message is refused (errcode 45015)
    with time_machine.travel(local(2024, 9, 20, 10, 1), tick=False):
        drain(contacts_for)
    ack = CustomerMessage.objects.get(case=case, kind="acknowledgement")
    assert ack.state == "retry" and ack.last_error == "wechat: WeChat API error 45015"
    assert OPENID not in ack.last_error
    templates.mode = "ok"
    with time_machine.travel(ack.next_attempt_at, tick=False):
        drain(contacts_for)
    ack.refresh_from_db()
    assert ack.state == "sent" and ack.delivered_channel == "wechat"
    sent = [r for r in templates.sent("/message/template/send") if r["body"]["template_id"] == "TPL-ACK"]
    assert len(sent) == 2  # refused once, then taken


def test_a_kind_without_a_template_falls_back(client, bank, intake_bj, templates, monkeypatch, sms_gateway):
    monkeypatch.setenv("REDRESSAL_WECHAT_TEMPLATES", "decision_notice=TPL-DEC")
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_URL", sms_gateway.url)
    case = case_from_wechat(client, bank)
    customer = case.customer
    customer.phone = "13812345678"
    customer.save(update_fields=["phone"])
    with time_machine.travel(local(2024, 9, 20, 10, 1), tick=False):
        drain(contacts_for)
    ack = CustomerMessage.objects.get(case=case, kind="acknowledgement")
    attempts = list(ack.delivery_attempts.order_by("pk").values_list("channel", "outcome", "error"))
    assert attempts == [("wechat", "failed", "no WeChat template for 'acknowledgement'"), ("sms", "sent", "")]
    assert templates.sent("/template/send") == []
