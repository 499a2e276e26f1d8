"""A WeChat conversation in the browser: a customer writes through the official account (a signed push
to /wechat/callback), the message appears in the live waiting list, an agent answers (the answer
reaches the local WeChat API), the gateway then fails and the page says so, and a handler turns the
conversation into a case — in Chinese, and the list once in English."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest

from redressal.cases.models import Case
from redressal.conversations.models import Conversation
from tests.browser import pages
from tests.wechat.conftest import wechat_api, wechat_env  # noqa: F401  (the local WeChat API)
from tests.wechat.helpers import OPENID, signed_query, text_xml


@pytest.fixture
def intake_bj(settings):
    settings.INTAKE_UNIT = "BJ"


def push(base: str, text: str, msg_id: int, openid: str = OPENID) -> None:
    response = httpx.post(
        f"{base}/wechat/callback?{urlencode(signed_query())}",
        content=text_xml(text, msg_id=msg_id, openid=openid).encode(),
        headers={"Content-Type": "text/xml"},
    )
    assert response.status_code == 200


def test_a_wechat_message_is_answered_and_turned_into_a_case(bank, intake_bj, wechat_env, as_user, live_server):  # noqa: F811
    push(live_server.url, "信用卡年费被重复收取两次", 1)
    agent = as_user("agent1")
    agent.goto("/conversations/")
    rows = agent.page.locator("[data-testid=conversation-row]")
    assert rows.count() == 1 and "信用卡年费被重复收取两次" in rows.first.inner_text()
    assert OPENID not in agent.text("main")

    # A second customer writes while the list is open: the polled rows bring them in, newest first.
    push(live_server.url, "请问网点几点开门", 2, openid="oAnother-customer")
    agent.page.evaluate(
        "htmx.ajax('GET', document.querySelector('#conversation-rows').getAttribute('hx-get'),"
        " {target: '#conversation-rows', swap: 'innerHTML'})"
    )
    agent.page.wait_for_function("document.querySelectorAll('[data-testid=conversation-row]').length === 2")
    assert "请问网点几点开门" in rows.first.inner_text()
    agent.shot("waiting-list")

    c = Conversation.objects.get(messages__text="信用卡年费被重复收取两次")
    agent.goto(f"/conversations/{c.pk}/")
    agent.page.fill("#answer-text", "您好，我们已收到，稍后为您核实。")
    with agent.page.expect_navigation():
        agent.page.click("[data-testid=answer-send]")
    assert agent.page.locator("[data-testid=delivery-sent]").count() == 1
    (send,) = wechat_env.sent("/message/custom/send")
    assert send["body"]["text"]["content"] == "您好，我们已收到，稍后为您核实。"

    wechat_env.mode = "500"
    agent.page.fill("#answer-text", "还有别的问题吗？")
    with agent.page.expect_navigation():
        agent.page.click("[data-testid=answer-send]")
    failed = agent.page.locator("[data-testid=delivery-failed]")
    assert failed.count() == 1 and "发送失败" in failed.inner_text()
    agent.shot("answer-failed")

    handler = as_user("handler1")
    handler.goto(f"/conversations/{c.pk}/")
    handler.page.fill("#customer-name", "王秀英")
    with handler.page.expect_navigation():
        handler.page.click("[data-testid=to-case]")
    case = Case.objects.get()
    assert handler.page.url.endswith(f"/cases/{case.pk}/")
    assert case.case_number in handler.text("main")
    handler.shot("case")

    handler.goto("/conversations/?status=closed")
    handler.switch_language()
    assert "Customer conversations" in handler.text("main")
    assert case.case_number in handler.text("[data-testid=conversation-table]")
    # The customer's own words are data, not interface text.
    data = frozenset(
        {
            "信用卡年费被重复收取两次",
            "请问网点几点开门",
            "您好，我们已收到，稍后为您核实。",
            "还有别的问题吗？",
            "王秀英",
        }
    )
    assert pages.english_problems(handler, data) == []
    handler.shot("closed-list-en")
    handler.goto(f"/conversations/{c.pk}/")
    assert "Transcript" in handler.text("main")
    assert pages.english_problems(handler, data) == []
    handler.shot("conversation-en")
