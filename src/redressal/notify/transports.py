"""How a customer message leaves the bank: one small adapter per channel (SPEC §10).

An adapter takes an :class:`Outgoing` (the message's idempotency key, the address, the text) and either
returns (accepted) or raises :class:`DeliveryError`. The error's text is what the delivery log keeps:
it never carries the address or the text (no personal data in the attempt rows or the logs).
Vendor SMS gateways plug in beside the generic one through :data:`SMS_ADAPTERS`; WeChat template
messages go through wechatpy (:class:`WechatTemplateTransport`).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import httpx

TIMEOUT = 10.0  # seconds, for one SMTP conversation or one gateway request


class DeliveryError(Exception):
    """A channel refused or failed; ``str()`` is safe to store (no address, no text)."""


@dataclass(frozen=True)
class Outgoing:
    key: str  # unique per message: the SMS gateway's id, the mail's Message-ID
    to: str
    subject: str
    text: str
    kind: str = ""  # the message's kind (acknowledgement …): a WeChat template is chosen by it
    reference: str = ""  # the case number
    # Email threading (RFC 5322 §3.6.4): the customer's mail this answers, and the thread's ids.
    in_reply_to: str = ""
    references: tuple[str, ...] = ()


class Transport(Protocol):
    @property
    def channel(self) -> str: ...

    @property
    def sink(self) -> bool:  # True: nothing leaves the machine (the demo sink)
        ...

    def send(self, message: Outgoing) -> None: ...

    def close(self) -> None: ...


@dataclass
class SmtpTransport:
    """Email over SMTP: ``smtp://user:pass@host:587`` (STARTTLS when the server offers it) or
    ``smtps://user:pass@host:465`` (TLS from the start)."""

    host: str
    port: int
    sender: str
    implicit_tls: bool = False
    user: str = ""
    password: str = ""
    timeout: float = TIMEOUT
    channel: str = "email"
    sink: bool = False

    @classmethod
    def from_url(cls, url: str, sender: str) -> SmtpTransport:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("REDRESSAL_SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465")
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 25),
            sender=sender,
            implicit_tls=implicit,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
        )

    def _mail(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        domain = self.sender.rpartition("@")[2] or "redressal.local"
        mail["Message-ID"] = f"<{message.key}@{domain}>"
        if message.in_reply_to:
            mail["In-Reply-To"] = f"<{message.in_reply_to}>"
            mail["References"] = " ".join(f"<{ref}>" for ref in (message.references or (message.in_reply_to,)))
        mail.set_content(message.text)
        return mail

    _client: smtplib.SMTP | None = field(default=None, repr=False, compare=False)

    def _connect(self) -> smtplib.SMTP:
        client: smtplib.SMTP
        if self.implicit_tls:
            context = ssl.create_default_context()
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        client.ehlo()
        if not self.implicit_tls and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if self.user:
            client.login(self.user, self.password)
        return client

    def send(self, message: Outgoing) -> None:
        # One connection for a delivery round (closed by ``close``); a broken one is dropped so the next
        # message opens a fresh one.
        try:
            if self._client is None:
                self._client = self._connect()
            self._client.send_message(self._mail(message))
        except smtplib.SMTPRecipientsRefused:
            self._reset()
            raise DeliveryError("SMTP recipient refused") from None
        except smtplib.SMTPResponseException as exc:
            self._reset()
            raise DeliveryError(f"SMTP {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise DeliveryError(f"SMTP {type(exc).__name__}") from None

    def _reset(self) -> None:
        try:
            if self._client is not None:
                self._client.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except OSError:
                pass

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


@dataclass
class GenericSmsGateway:
    """POST ``{"id", "to", "text"}`` as JSON, with ``Authorization: Bearer <token>`` when a token is set;
    any 2xx is accepted. ``id`` is the message's idempotency key: a gateway seeing it twice sends once."""

    url: str
    token: str = ""
    timeout: float = TIMEOUT
    channel: str = "sms"
    sink: bool = False

    _client: httpx.Client | None = field(default=None, repr=False, compare=False)

    def send(self, message: Outgoing) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if self._client is None:
            self._client = httpx.Client()  # kept for the round: one connection, not one per message
        try:
            response = self._client.post(
                self.url,
                json={"id": message.key, "to": message.to, "text": message.text},
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.TimeoutException:
            raise DeliveryError("SMS gateway timeout") from None
        except httpx.HTTPError as exc:
            raise DeliveryError(f"SMS gateway {type(exc).__name__}") from None
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"SMS gateway HTTP {response.status_code}")

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()


@dataclass(frozen=True)
class SinkTransport:
    """Demo mode: the message is "delivered" to the database row itself (the sent-messages page shows
    it); nothing leaves the machine."""

    channel: str
    sink: bool = True

    def send(self, message: Outgoing) -> None:
        return None

    def close(self) -> None:
        return None


# Vendor adapters plug in here by name (``REDRESSAL_SMS_GATEWAY_KIND``): each takes the URL and token.
SMS_ADAPTERS: dict[str, Callable[[str, str, float], Transport]] = {
    "generic": lambda url, token, timeout: GenericSmsGateway(url, token, timeout),
}


# --- WeChat (official account): the outbound API shared by template messages and staff answers ---

WECHAT_API_BASE = "https://api.weixin.qq.com/cgi-bin/"
# Access tokens by (API base, appid), shared by every client in the process: WeChat limits how often
# a token may be fetched (2,000 a day), so a client per message must not fetch one each time.
_WECHAT_TOKENS: dict[str, object] = {}


def wechat_client(appid: str, secret: str, *, api_base: str = WECHAT_API_BASE, timeout: float = TIMEOUT) -> Any:
    """A ``wechatpy.WeChatClient`` whose API base URL (and access-token URL with it) is ``api_base``,
    with a timeout on every request, the token included (wechatpy's own token fetch has none)."""
    from wechatpy import WeChatClient
    from wechatpy.session.memorystorage import MemoryStorage

    base = api_base if api_base.endswith("/") else api_base + "/"
    storage = _WECHAT_TOKENS.setdefault(base, MemoryStorage())

    class Client(WeChatClient):  # type: ignore[misc]
        API_BASE_URL = base

        def fetch_access_token(self) -> Any:
            return self._fetch_access_token(
                url=base + "token",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            )

    client = Client(appid, secret, session=storage, timeout=timeout)
    original_get = client._http.get

    def get_with_timeout(url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", timeout)
        return original_get(url, **kwargs)

    client._http.get = get_with_timeout
    return client


def wechat_error(exc: Exception) -> str:
    """A WeChat API failure as text safe to store and show (the error code, never the openid or text)."""
    import requests
    from wechatpy.exceptions import WeChatClientException

    if isinstance(exc, requests.Timeout):
        return "WeChat API timeout"
    if isinstance(exc, WeChatClientException):
        response = getattr(exc, "response", None)
        if exc.errcode is None and response is not None:
            return f"WeChat API HTTP {response.status_code}"
        return f"WeChat API error {exc.errcode}"
    return f"WeChat API {type(exc).__name__}"


def wechat_failures() -> tuple[type[Exception], ...]:
    import requests
    from wechatpy.exceptions import WeChatException

    return (WeChatException, requests.RequestException, ValueError)


@dataclass
class WechatTemplateTransport:
    """A WeChat template message (模板消息) to the customer's bound openid: the template for the
    message's kind (``templates``: kind → template id, ``*`` for any other kind); a kind with no
    template is refused, so the message falls back to the next channel. The data fields are
    ``first`` (the subject), ``keyword1`` (the case number), ``remark`` (the text)."""

    appid: str
    secret: str
    templates: dict[str, str]
    api_base: str = WECHAT_API_BASE
    url: str = ""  # where the message leads when tapped (the portal)
    timeout: float = TIMEOUT
    channel: str = "wechat"
    sink: bool = False

    _client: Any = field(default=None, repr=False, compare=False)

    def template_for(self, kind: str) -> str:
        return self.templates.get(kind) or self.templates.get("*", "")

    def send(self, message: Outgoing) -> None:
        template_id = self.template_for(message.kind)
        if not template_id:
            raise DeliveryError(f"no WeChat template for '{message.kind}'")
        if self._client is None:
            self._client = wechat_client(self.appid, self.secret, api_base=self.api_base, timeout=self.timeout)
        data = {
            "first": {"value": message.subject},
            "keyword1": {"value": message.reference},
            "remark": {"value": message.text},
        }
        try:
            self._client.message.send_template(message.to, template_id, data, url=self.url or None)
        except wechat_failures() as exc:
            raise DeliveryError(wechat_error(exc)) from None

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client._http.close()


def parse_wechat_templates(spec: str) -> dict[str, str]:
    """``acknowledgement=ID1,decision_notice=ID2,*=ID3`` as {kind: id}; raises ValueError."""
    out: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        kind, sep, template_id = part.partition("=")
        if not sep or not kind.strip() or not template_id.strip():
            raise ValueError("REDRESSAL_WECHAT_TEMPLATES must look like acknowledgement=ID,*=ID")
        out[kind.strip()] = template_id.strip()
    return out
