"""The staff pages for conversations, end to end: a push from WeChat, the waiting list and its live
rows, an answer reaching the local WeChat API (or its failure shown), turning into a case, and the
refusal for staff outside the conversation's unit."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from redressal.cases.models import Case
from redressal.conversations.models import Conversation
from tests.conftest import PASSWORD
from tests.wechat.helpers import OPENID, signed_query, text_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_bj(settings):
    settings.INTAKE_UNIT = "BJ"


def login(client, username: str) -> None:
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:500]


def push(client, text: str, msg_id: int, openid: str = OPENID):
    return client.post(
        f"/wechat/callback?{urlencode(signed_query())}",
        data=text_xml(text, msg_id=msg_id, openid=openid).encode(),
        content_type="text/xml",
    )


def test_waiting_list_polls_and_never_shows_the_openid(client, wechat_env, intake_bj, bank):
    push(client, "我的手机号13812345678，年费扣了两次", 1)
    login(client, "agent1")
    page = client.get("/conversations/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 5s"' in html and "/conversations/rows/" in html
    assert "年费扣了两次" in html and "138****5678" in html and "13812345678" not in html
    assert OPENID not in html
    assert "客户会话" in client.get("/").content.decode()  # in the navigation
    rows = client.get("/conversations/rows/?status=waiting").content.decode()
    assert rows.count('data-testid="conversation-row"') == 1
    push(client, "另一位客户", 2, openid="oSecond")
    rows = client.get("/conversations/rows/?status=waiting").content.decode()
    assert rows.count('data-testid="conversation-row"') == 2
    assert rows.index("另一位客户") < rows.index("年费扣了两次")  # newest first


def test_answer_from_the_page_reaches_wechat(client, wechat_env, intake_bj, bank):
    push(client, "年费扣了两次", 1)
    c = Conversation.objects.get()
    login(client, "agent1")
    r = client.post(f"/conversations/{c.pk}/answer/", {"text": "您好，已为您核实退费。"})
    assert r.status_code == 302
    (send,) = wechat_env.sent("/message/custom/send")
    assert send["body"]["touser"] == OPENID and send["body"]["text"]["content"] == "您好，已为您核实退费。"
    html = client.get(f"/conversations/{c.pk}/").content.decode()
    assert 'data-testid="delivery-sent"' in html and OPENID not in html
    assert f"/conversations/{c.pk}/transcript/" in html and 'hx-trigger="every 5s"' in html
    push(client, "谢谢，请问多久到账？", 2)  # the customer writes again while the page is open
    polled = client.get(f"/conversations/{c.pk}/transcript/").content.decode()
    assert "谢谢，请问多久到账？" in polled and "您好，已为您核实退费。" in polled


def test_a_gateway_failure_is_shown_to_staff_not_a_500(client, wechat_env, intake_bj, bank):
    push(client, "年费扣了两次", 1)
    c = Conversation.objects.get()
    wechat_env.mode = "500"
    login(client, "agent1")
    r = client.post(f"/conversations/{c.pk}/answer/", {"text": "您好"})
    assert r.status_code == 302
    html = client.get(f"/conversations/{c.pk}/").content.decode()
    assert 'data-testid="delivery-failed"' in html and "发送失败" in html and "HTTP 503" in html


def test_turn_into_case_from_the_page(client, wechat_env, intake_bj, bank):
    push(client, "信用卡年费被重复收取", 1)
    c = Conversation.objects.get()
    login(client, "handler1")
    page = client.get(f"/conversations/{c.pk}/").content.decode()
    assert 'data-testid="case-form"' in page and "信用卡年费被重复收取" in page
    r = client.post(
        f"/conversations/{c.pk}/case/",
        {"request_type": "complaint", "description": "信用卡年费被重复收取，要求退还", "customer_name": "王秀英"},
    )
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert case.channel == "wechat" and case.description == "信用卡年费被重复收取，要求退还"
    assert case.evidence.get().kind == "electronic"
    again = client.post(f"/conversations/{c.pk}/case/", {"customer_name": "王秀英"})
    assert again.status_code == 409 and "该会话已转为工单" in again.content.decode()


def test_a_missing_name_is_a_clear_refusal(client, wechat_env, intake_bj, bank):
    push(client, "信用卡年费被重复收取", 1)
    c = Conversation.objects.get()
    login(client, "handler1")
    r = client.post(f"/conversations/{c.pk}/case/", {"request_type": "complaint"})
    assert r.status_code == 422 and "请选择客户或填写客户姓名" in r.content.decode()
    assert not Case.objects.exists()


def test_staff_outside_the_scope_are_refused(client, wechat_env, bank):
    # The intake unit is the head office: the branch's agent sees no conversation and may not open one.
    push(client, "年费扣了两次", 1)
    c = Conversation.objects.get()
    login(client, "agent1")
    assert "年费扣了两次" not in client.get("/conversations/").content.decode()
    assert client.get(f"/conversations/{c.pk}/").status_code == 404
    assert client.post(f"/conversations/{c.pk}/answer/", {"text": "您好"}).status_code == 404
    assert client.get(f"/conversations/{c.pk}/transcript/").status_code == 404
    assert client.post(f"/conversations/{c.pk}/case/", {"customer_name": "王"}).status_code == 404
    assert wechat_env.sent("/custom/send") == []


def test_roles_without_conversations_get_403(client, wechat_env, bank):
    login(client, "compliance1")
    assert client.get("/conversations/").status_code == 403
    assert "客户会话" not in client.get("/").content.decode()
