"""The official account's settings, read from the environment when used (a changed setting applies
without a restart of the worker):

- ``REDRESSAL_WECHAT_TOKEN``: the token set on the WeChat platform (signatures);
- ``REDRESSAL_WECHAT_APPID`` and ``REDRESSAL_WECHAT_AES_KEY`` (the 43-character EncodingAESKey):
  safe mode (encrypted push and replies);
- ``REDRESSAL_WECHAT_SECRET``: the AppSecret, for the access token of the outbound APIs (answers,
  template messages);
- ``REDRESSAL_WECHAT_API_BASE``: the API's base URL (``https://api.weixin.qq.com/cgi-bin/``; a test
  or a proxy points it elsewhere);
- ``REDRESSAL_WECHAT_TEMPLATES``: template ids per customer-message kind (read by the outbox's
  WeChat transport, ``notify.channels``);
- ``REDRESSAL_WECHAT_TIMEOUT``: seconds for one API request (5);
- ``REDRESSAL_PORTAL_URL``: where a menu click leads (``/portal/``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from redressal.core.config import ConfigurationError

DEFAULT_API_BASE = "https://api.weixin.qq.com/cgi-bin/"


@dataclass(frozen=True)
class WechatSettings:
    token: str
    appid: str
    aes_key: str
    secret: str
    api_base: str
    timeout: float
    portal_url: str

    @property
    def can_send(self) -> bool:
        return bool(self.appid and self.secret)


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def load() -> WechatSettings:
    try:
        timeout = float(_env("REDRESSAL_WECHAT_TIMEOUT", "5"))
    except ValueError:
        raise ConfigurationError("REDRESSAL_WECHAT_TIMEOUT must be a number of seconds") from None
    base = _env("REDRESSAL_WECHAT_API_BASE", DEFAULT_API_BASE) or DEFAULT_API_BASE
    return WechatSettings(
        token=_env("REDRESSAL_WECHAT_TOKEN"),
        appid=_env("REDRESSAL_WECHAT_APPID"),
        aes_key=_env("REDRESSAL_WECHAT_AES_KEY"),
        secret=_env("REDRESSAL_WECHAT_SECRET"),
        api_base=base if base.endswith("/") else base + "/",
        timeout=timeout,
        portal_url=_env("REDRESSAL_PORTAL_URL", "/portal/") or "/portal/",
    )
