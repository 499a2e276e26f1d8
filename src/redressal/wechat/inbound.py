"""What a push from WeChat means, and the passive reply to it (SPEC §9). Only the database is touched
here, never the network: the reply goes back in the same HTTP answer, well inside WeChat's 5 seconds.

- a text message opens or continues the customer's conversation (staff answer it or turn it into a
  case); the reply says it was received;
- another kind (image, voice …) is recorded in the conversation, and the reply asks for text;
- a menu click (CLICK / VIEW) is answered with the portal's link; following the account (subscribe)
  with a welcome; any other event with nothing (``success``).

WeChat sends a push again (up to three times) when the answer is late: a message is stored once by its
MsgId; events store nothing, so answering one twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from redressal.conversations.services import Inbound, receive_message
from redressal.core.clock import now
from redressal.wechat.config import WechatSettings

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


def reply_text(message: Any, settings: WechatSettings) -> str | None:
    """The passive reply's text, or None for ``success`` (no reply)."""
    kind = message.type
    if kind in TEXT_KINDS or kind in RECORDED_KINDS:
        text = str(getattr(message, "content", "") or "") if kind in TEXT_KINDS else _describe(message)
        msg_id = getattr(message, "id", None)
        receive_message(
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
            return _("您的留言已收到，客服人员会尽快在这里回复您。如需正式投诉，我们会为您登记并告知工单编号。")
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
