import pytest
from django.test import Client

from redressal.conversations.models import Conversation
from redressal.domain import assistant as rules
from redressal.faq.models import AssistantExchange
from tests.portal.conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db


def ask(client, body, headers=None):
    return client.post("/api/v1/public/assistant/ask", body, content_type="application/json", headers=headers or {})


def test_anonymous_question_gets_three_answers_and_continues_the_conversation(kb):
    client = Client(REMOTE_ADDR="10.9.0.1")
    r = ask(client, {"question": "跨行转账多久能到账"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {"conversation", "answers", "handover", "reason"}
    assert len(body["answers"]) == 3 and body["handover"] is False and body["reason"] == ""
    assert set(body["answers"][0]) == {"faq_id", "question", "answer", "score"}
    assert body["answers"][0]["question"] == "跨行转账多久到账？"
    again = ask(client, {"question": "我要转人工", "conversation": body["conversation"]}).json()
    assert again["handover"] is True and again["reason"] == "asked_for_person" and again["answers"] == []
    assert Conversation.objects.filter(status="waiting").count() == 1
    r = client.post(
        "/api/v1/public/assistant/feedback",
        {"conversation": body["conversation"], "faq_id": body["answers"][0]["faq_id"], "helpful": True},
        content_type="application/json",
    )
    assert r.status_code == 200  # the answer of the earlier exchange
    assert AssistantExchange.objects.filter(helpful=True).count() == 1
    r = client.post(
        "/api/v1/public/assistant/feedback",
        {"conversation": body["conversation"], "faq_id": 999999, "helpful": True},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_a_signed_in_customer_asks_as_themselves(kb, known):
    me = sign_in(PHONE)
    body = me.post("/assistant/ask", {"question": "信用卡年费怎么收"}).json()
    conversation = Conversation.objects.get(pk=AssistantExchange.objects.get().conversation_id)
    assert conversation.party == PHONE and conversation.channel == "api"
    r = me.post("/assistant/feedback", {"conversation": body["conversation"], "faq_id": body["answers"][0]["faq_id"],
                                        "helpful": False})
    assert r.status_code == 200 and r.json()["helpful"] is False


def test_anonymous_questions_are_limited_per_address(kb, monkeypatch):
    monkeypatch.setattr(rules, "ANONYMOUS_PER_HOUR", 2)
    client = Client(REMOTE_ADDR="10.9.0.2")
    assert ask(client, {"question": "信用卡年费"}).status_code == 200
    assert ask(client, {"question": "信用卡年费"}).status_code == 200
    r = ask(client, {"question": "信用卡年费"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "assistant.rate_limited"
    assert ask(Client(REMOTE_ADDR="10.9.0.3"), {"question": "信用卡年费"}).status_code == 200


def test_empty_or_long_questions_are_refused_with_the_field(kb):
    client = Client(REMOTE_ADDR="10.9.0.4")
    for question in ("", "问" * 501):
        r = ask(client, {"question": question})
        assert r.status_code == 422 and r.json()["error"]["field"] == "question"


def test_wechat_text_is_answered_by_the_assistant_and_a_resent_push_gets_the_same_reply(client, wechat_env, kb):
    from urllib.parse import urlencode

    from tests.wechat.helpers import signed_query, text_xml

    url = f"/wechat/callback?{urlencode(signed_query())}"
    first = client.post(url, data=text_xml("信用卡年费是怎么收的", msg_id=7001).encode(), content_type="text/xml")
    assert first.status_code == 200
    assert "普卡首年免年费" in first.content.decode() and "转人工" in first.content.decode()
    assert Conversation.objects.get().status == "answered"
    again = client.post(url, data=text_xml("信用卡年费是怎么收的", msg_id=7001).encode(), content_type="text/xml")
    assert "普卡首年免年费" in again.content.decode() and AssistantExchange.objects.count() == 1
    person = client.post(url, data=text_xml("转人工", msg_id=7002).encode(), content_type="text/xml")
    assert "您的留言已收到" in person.content.decode()
    assert Conversation.objects.get().status == "waiting"
