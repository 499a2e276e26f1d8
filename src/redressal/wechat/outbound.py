"""What leaves for WeChat: a staff answer as a customer-service text message (客服消息), and the
address book the outbox asks for a case's customer's bound openid. Registered by ``WechatConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from redressal.cases.models import Case
from redressal.conversations.channels import SendFailed
from redressal.conversations.models import ChannelBinding
from redressal.notify.transports import wechat_client, wechat_error, wechat_failures
from redressal.wechat import config


def send_text(openid: str, text: str) -> None:
    settings = config.load()
    if not settings.can_send:
        raise SendFailed("WeChat is not configured to send (REDRESSAL_WECHAT_APPID / REDRESSAL_WECHAT_SECRET)")
    client = wechat_client(settings.appid, settings.secret, api_base=settings.api_base, timeout=settings.timeout)
    try:
        client.message.send_text(openid, text)
    except wechat_failures() as exc:
        raise SendFailed(wechat_error(exc)) from None
    finally:
        client._http.close()


def bound_openids(case_ids: Iterable[int]) -> dict[int, str]:
    """Case id → the openid bound to the case's customer. The delivery takes WeChat when it is the
    customer's preferred channel (``domain.delivery.channel_order``), else email or SMS as before."""
    rows = Case.objects.filter(pk__in=list(case_ids), customer__isnull=False).values_list("pk", "customer_id")
    by_customer: dict[int, list[int]] = {}
    for case_id, customer_id in rows:
        by_customer.setdefault(int(customer_id), []).append(int(case_id))
    if not by_customer:
        return {}
    out: dict[int, str] = {}
    bindings = ChannelBinding.objects.filter(channel="wechat", customer_id__in=list(by_customer)).order_by("bound_at")
    for binding in bindings:  # the latest binding of a customer wins
        for case_id in by_customer[binding.customer_id]:
            out[case_id] = binding.party
    return out
