"""Which transports this installation has, from ``REDRESSAL_*`` settings (read when a round starts,
so a changed setting applies without a restart of the worker).

- ``REDRESSAL_SMTP_URL`` and ``REDRESSAL_MAIL_FROM``: email;
- ``REDRESSAL_DELIVERY_TIMEOUT``: seconds for one SMTP conversation or gateway request (10);
- ``REDRESSAL_SMS_GATEWAY_URL``, optional ``REDRESSAL_SMS_GATEWAY_TOKEN`` and ``REDRESSAL_SMS_GATEWAY_KIND``
  (``generic`` by default; vendor adapters in ``transports.SMS_ADAPTERS``): SMS;
- ``REDRESSAL_WECHAT_APPID``, ``REDRESSAL_WECHAT_SECRET`` and ``REDRESSAL_WECHAT_TEMPLATES``
  (``kind=template id`` by commas, ``*=id`` for any other kind), optional ``REDRESSAL_WECHAT_API_BASE``
  and ``REDRESSAL_PORTAL_URL`` (where a tapped message leads): WeChat template messages to a customer
  whose WeChat is bound (docs/wechat.md).

In demo mode a channel that is not configured is "delivered" to the local sink, so nothing leaves the
machine; outside demo mode it is simply not available (the message falls back to another channel, or
waits and ends as a dead letter that staff see).
"""

from __future__ import annotations

import os
from dataclasses import replace

from redressal.core.config import ConfigurationError, demo_mode
from redressal.notify.transports import (
    SMS_ADAPTERS,
    TIMEOUT,
    WECHAT_API_BASE,
    SinkTransport,
    SmtpTransport,
    Transport,
    WechatTemplateTransport,
    parse_wechat_templates,
)

DEFAULT_SENDER = "noreply@redressal.local"


def _timeout() -> float:
    try:
        return float(os.environ.get("REDRESSAL_DELIVERY_TIMEOUT", TIMEOUT))
    except ValueError:
        raise ConfigurationError("REDRESSAL_DELIVERY_TIMEOUT must be a number of seconds") from None


def transports() -> dict[str, Transport]:
    out: dict[str, Transport] = {}
    timeout = _timeout()
    smtp_url = os.environ.get("REDRESSAL_SMTP_URL", "").strip()
    if smtp_url:
        try:
            smtp = SmtpTransport.from_url(smtp_url, os.environ.get("REDRESSAL_MAIL_FROM", DEFAULT_SENDER))
            out["email"] = replace(smtp, timeout=timeout)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
    sms_url = os.environ.get("REDRESSAL_SMS_GATEWAY_URL", "").strip()
    if sms_url:
        kind = os.environ.get("REDRESSAL_SMS_GATEWAY_KIND", "generic").strip() or "generic"
        if kind not in SMS_ADAPTERS:
            raise ConfigurationError(f"REDRESSAL_SMS_GATEWAY_KIND must be one of {', '.join(sorted(SMS_ADAPTERS))}")
        out["sms"] = SMS_ADAPTERS[kind](sms_url, os.environ.get("REDRESSAL_SMS_GATEWAY_TOKEN", ""), timeout)
    appid = os.environ.get("REDRESSAL_WECHAT_APPID", "").strip()
    secret = os.environ.get("REDRESSAL_WECHAT_SECRET", "").strip()
    spec = os.environ.get("REDRESSAL_WECHAT_TEMPLATES", "").strip()
    if appid and secret and spec:
        try:
            templates = parse_wechat_templates(spec)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        out["wechat"] = WechatTemplateTransport(
            appid,
            secret,
            templates,
            api_base=os.environ.get("REDRESSAL_WECHAT_API_BASE", "").strip() or WECHAT_API_BASE,
            url=os.environ.get("REDRESSAL_PORTAL_URL", "").strip(),
            timeout=timeout,
        )
    if demo_mode():
        for channel in ("email", "sms"):
            out.setdefault(channel, SinkTransport(channel))
    return out
