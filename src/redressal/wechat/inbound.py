"""What a push from WeChat means, and the passive reply to it (SPEC §9). Only the database is touched
here, never the network: the reply goes back in the same HTTP answer, well inside WeChat's 5 seconds.

- a text message opens or continues the customer's conversation and the FAQ assistant answers it
  (``faq.assistant``): its best answer, or, when it hands over to a person, the reply that it was
  received and staff will answer (they see it waiting, and may turn it into a case);
- another kind (image, voice …) is recorded in the conversation, and the reply asks for text;
- a menu click (CLICK / VIEW) is answered with the portal's link; following the account (subscribe)
  with a welcome; any other event with nothing (``success``).

WeChat sends a push again (up to three times) when the answer is late: a message is stored once by its
MsgId; events store nothing, so answering one twice changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _

from redressal.conversations.models import ConversationMessage
from redressal.conversations.services import Inbound, Received, receive_message
from redressal.core.clock import now
from redressal.faq import assistant
from redressal.wechat.config import WechatSettings

log = logging.getLogger(__name__)

TEXT_KINDS = {"text"}
RECORDED_KINDS = {"image", "voice", "video", "shortvideo", "location", "link"}


def _describe(message: Any) -> str:
    """A short text for a non-text message on the staff page (no media is fetched)."""
    kind = message.type
    if kind == "voice":
        return str(getattr(message, "recognition", "") or "")
    if kind == "location":
        return str(getattr(message, "label", "") or "")
    if kind == "link":
        return " ".join(
            x for x in (str(getattr(message, "title", "") or ""), str(getattr(message, "url", "") or "")) if x
        )
    return ""


def _acknowledgement() -> str:
    return _("您的留言已收到，客服人员会尽快在这里回复您。如需正式投诉，我们会为您登记并告知工单编号。")


def _assistant_reply(received: Received, text: str) -> str:
    """The FAQ assistant answers a text message (decision 0025): its best answer, or — when it hands the
    customer over to a person — the acknowledgement that staff will answer here. A push WeChat sent again
    gets the reply already given. The assistant failing never fails the callback: staff still see the
    conversation waiting."""

    if received.duplicate:
        given = (
            ConversationMessage.objects.filter(
                conversation=received.conversation, pk__gt=received.message.pk, kind__in=("assistant", "handover")
            )
            .order_by("pk")
            .first()
        )
        return given.text if given is not None and given.kind == "assistant" else _acknowledgement()
    try:
        reply = assistant.ask_in(received, text)
    except Exception:
        log.exception("the FAQ assistant failed on a WeChat message")
        return _acknowledgement()
    if reply.handover:
        return _acknowledgement()
    return _("%(answer)s\n\n（如未解决，回复“转人工”联系客服）") % {"answer": reply.text}


def reply_text(message: Any, settings: WechatSettings) -> str | None:
    """The passive reply's text, or None for ``success`` (no reply)."""
    kind = message.type
    if kind in TEXT_KINDS or kind in RECORDED_KINDS:
        text = str(getattr(message, "content", "") or "") if kind in TEXT_KINDS else _describe(message)
        msg_id = getattr(message, "id", None)
        received = receive_message(
            Inbound(
                channel="wechat",
                party=str(message.source),
                kind=kind,
                text=text,
                external_id=f"wechat:{msg_id}" if msg_id else "",
                at=now(),
            )
        )
        if kind in TEXT_KINDS:
            return _assistant_reply(received, text)
        return _("目前只能处理文字消息，请用文字描述您的问题，客服人员会尽快回复您。")
    if kind == "event":
        event = str(getattr(message, "event", "")).lower()
        if event in ("subscribe", "subscribe_scan"):
            return _(
                "欢迎关注！您可以直接在这里留言咨询或投诉，客服人员会尽快回复；也可以访问客户服务门户：%(url)s"
            ) % {"url": settings.portal_url}
        if event in ("click", "view"):
            return _("请点击进入客户服务门户，查询进度或提交投诉：%(url)s") % {"url": settings.portal_url}
    return None
