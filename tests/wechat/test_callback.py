"""The official-account endpoint, driven as WeChat's servers drive it: URL verification, plain and
safe-mode pushes, passive replies, re-sent pushes, and refusals (SPEC §9)."""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlencode

import pytest

from redressal.conversations.models import Conversation, ConversationMessage
from tests.wechat.helpers import (
    ACCOUNT,
    OPENID,
    decrypt_reply,
    encrypted,
    event_xml,
    image_xml,
    signed_query,
    text_xml,
)

pytestmark = pytest.mark.django_db

URL = "/wechat/callback"


def post(client, query: dict[str, str], body: str):
    return client.post(f"{URL}?{urlencode(query)}", data=body.encode(), content_type="text/xml")


def test_url_verification_echoes_the_echostr(client, wechat_env):
    query = {**signed_query(), "echostr": "8964213970"}
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.content == b"8964213970"


def test_verification_with_a_wrong_signature_is_403_and_logged(client, wechat_env, caplog):
    query = {**signed_query(token="someone-else"), "echostr": "123"}
    with caplog.at_level(logging.WARNING, logger="redressal.wechat"):
        response = client.get(URL, query)
    assert response.status_code == 403
    assert b"123" not in response.content
    assert any("wechat.refused reason=bad_signature" in r.getMessage() for r in caplog.records)


def test_missing_signature_is_403(client, wechat_env):
    assert client.get(URL, {"echostr": "1"}).status_code == 403
    assert client.post(URL, data=text_xml("hi").encode(), content_type="text/xml").status_code == 403


def test_plain_text_push_opens_a_conversation_and_gets_a_passive_reply(client, wechat_env):
    response = post(client, signed_query(), text_xml("信用卡年费被重复扣了两次"))
    assert response.status_code == 200
    body = response.content.decode()
    # The reply goes back to the sender, from the account.
    assert f"<ToUserName><![CDATA[{OPENID}]]></ToUserName>" in body
    assert f"<FromUserName><![CDATA[{ACCOUNT}]]></FromUserName>" in body
    assert "您的留言已收到" in body
    conversation = Conversation.objects.get()
    assert conversation.channel == "wechat" and conversation.status == "waiting"
    assert conversation.party == OPENID and OPENID not in conversation.party_index
    (message,) = conversation.messages.filter(direction="in")
    assert (message.direction, message.kind, message.text) == ("in", "text", "信用卡年费被重复扣了两次")
    assert message.external_id == "wechat:1001"


def test_the_openid_is_stored_encrypted(client, wechat_env):
    from django.db import connection

    post(client, signed_query(), text_xml("你好"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT party FROM conversations_conversation")
        (raw,) = cursor.fetchone()
    assert OPENID not in raw


def test_a_second_message_continues_the_conversation(client, wechat_env):
    post(client, signed_query(), text_xml("第一条", msg_id=1))
    post(client, signed_query(), text_xml("第二条", msg_id=2))
    post(client, signed_query(), text_xml("别人的", msg_id=3, openid="oOther-person"))
    assert Conversation.objects.count() == 2
    mine = Conversation.objects.get(messages__text="第一条")
    assert list(mine.messages.filter(direction="in").values_list("text", flat=True)) == ["第一条", "第二条"]


def test_a_re_sent_push_is_stored_once(client, wechat_env):
    # WeChat repeats a push it had no answer to in time, with the same MsgId, up to three times.
    for _ in range(3):
        response = post(client, signed_query(), text_xml("重复推送", msg_id=777))
        assert response.status_code == 200
    assert ConversationMessage.objects.filter(external_id="wechat:777").count() == 1
    assert Conversation.objects.count() == 1


def test_safe_mode_push_is_decrypted_and_the_reply_encrypted(client, wechat_env):
    query, body = encrypted(text_xml("加密模式下的留言", msg_id=42))
    response = post(client, query, body)
    assert response.status_code == 200
    answer = response.content.decode()
    assert "<Encrypt>" in answer and "您的留言已收到" not in answer
    reply = decrypt_reply(answer, query)
    assert "您的留言已收到" in reply and OPENID in reply
    assert ConversationMessage.objects.get(direction="in").text == "加密模式下的留言"


def test_safe_mode_with_a_wrong_msg_signature_is_403_and_nothing_stored(client, wechat_env, caplog):
    query, body = encrypted(text_xml("伪造的", msg_id=43))
    query["msg_signature"] = "0" * 40
    with caplog.at_level(logging.WARNING, logger="redressal.wechat"):
        response = post(client, query, body)
    assert response.status_code == 403
    assert not ConversationMessage.objects.exists()
    lines = [r.getMessage() for r in caplog.records if "wechat.refused" in r.getMessage()]
    assert lines and "reason=bad_encryption" in lines[0] and "mode=aes" in lines[0]
    assert OPENID not in " ".join(lines) and "伪造" not in " ".join(lines)


def test_safe_mode_sealed_with_another_key_is_403(client, wechat_env, monkeypatch):
    query, body = encrypted(text_xml("别的密钥", msg_id=44))
    monkeypatch.setenv("REDRESSAL_WECHAT_AES_KEY", "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut")
    assert post(client, query, body).status_code == 403
    assert not ConversationMessage.objects.exists()


def test_plain_push_with_a_bad_signature_is_403_nothing_stored(client, wechat_env):
    query = signed_query()
    query["signature"] = "f" * 40
    assert post(client, query, text_xml("伪造", msg_id=5)).status_code == 403
    assert not Conversation.objects.exists()


def test_an_oversized_body_is_refused(client, wechat_env):
    response = post(client, signed_query(), text_xml("长" * 40000))
    assert response.status_code == 413
    assert not Conversation.objects.exists()


def test_garbage_with_a_good_signature_is_400_not_500(client, wechat_env):
    assert post(client, signed_query(), "<xml><nothing").status_code == 400
    assert post(client, signed_query(), "<xml><A>1</A></xml>").status_code == 400


def test_not_configured_is_404(client, monkeypatch):
    monkeypatch.delenv("REDRESSAL_WECHAT_TOKEN", raising=False)
    assert client.get(URL, {**signed_query(), "echostr": "1"}).status_code == 404


def test_menu_click_answers_with_the_portal_link(client, wechat_env):
    for event in ("CLICK", "VIEW"):
        response = post(client, signed_query(), event_xml(event, "PORTAL"))
        assert response.status_code == 200
        assert "https://kefu.bank.example/portal/" in response.content.decode()
    assert not Conversation.objects.exists()


def test_subscribe_gets_a_welcome(client, wechat_env):
    response = post(client, signed_query(), event_xml("subscribe"))
    assert "欢迎关注" in response.content.decode()


def test_other_events_answer_success(client, wechat_env):
    response = post(client, signed_query(), event_xml("unsubscribe"))
    assert response.content == b"success"


def test_an_image_is_recorded_and_answered_politely(client, wechat_env):
    response = post(client, signed_query(), image_xml(msg_id=9))
    assert "目前只能处理文字消息" in response.content.decode()
    message = ConversationMessage.objects.get()
    assert message.kind == "image" and message.external_id == "wechat:9"
    assert Conversation.objects.get().status == "waiting"


def test_the_callback_does_no_network_io(client, wechat_env, monkeypatch):
    # The passive reply must be back within WeChat's 5 seconds: nothing slow (no API call, no mail,
    # no gateway) may run inside the request. Any new outbound connection fails this test.
    def refuse(*args, **kwargs):
        raise AssertionError("network I/O inside the WeChat callback")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    query, body = encrypted(text_xml("不许联网", msg_id=31))
    assert post(client, query, body).status_code == 200
    assert post(client, signed_query(), event_xml("CLICK", "PORTAL")).status_code == 200
