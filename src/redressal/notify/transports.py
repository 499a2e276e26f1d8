"""How a customer message leaves the bank: one small adapter per channel (SPEC §10).

An adapter takes an :class:`Outgoing` (the message's idempotency key, the address, the text) and either
returns (accepted) or raises :class:`DeliveryError`. The error's text is what the delivery log keeps:
it never carries the address or the text (no personal data in the attempt rows or the logs).
Vendor SMS gateways plug in beside the generic one through :data:`SMS_ADAPTERS`.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol
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
