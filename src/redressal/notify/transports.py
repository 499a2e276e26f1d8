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
from dataclasses import dataclass
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


class Transport(Protocol):
    @property
    def channel(self) -> str: ...

    @property
    def sink(self) -> bool:  # True: nothing leaves the machine (the demo sink)
        ...

    def send(self, message: Outgoing) -> None: ...


@dataclass(frozen=True)
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
        mail.set_content(message.text)
        return mail

    def send(self, message: Outgoing) -> None:
        try:
            client: smtplib.SMTP
            if self.implicit_tls:
                client = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                client.ehlo()
                if not self.implicit_tls and client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                if self.user:
                    client.login(self.user, self.password)
                client.send_message(self._mail(message))
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError("SMTP recipient refused") from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {type(exc).__name__}") from None


@dataclass(frozen=True)
class GenericSmsGateway:
    """POST ``{"id", "to", "text"}`` as JSON, with ``Authorization: Bearer <token>`` when a token is set;
    any 2xx is accepted. ``id`` is the message's idempotency key: a gateway seeing it twice sends once."""

    url: str
    token: str = ""
    timeout: float = TIMEOUT
    channel: str = "sms"
    sink: bool = False

    def send(self, message: Outgoing) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = httpx.post(
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


@dataclass(frozen=True)
class SinkTransport:
    """Demo mode: the message is "delivered" to the database row itself (the sent-messages page shows
    it); nothing leaves the machine."""

    channel: str
    sink: bool = True

    def send(self, message: Outgoing) -> None:
        return None


# Vendor adapters plug in here by name (``REDRESSAL_SMS_GATEWAY_KIND``): each takes the URL and token.
SMS_ADAPTERS: dict[str, Callable[[str, str, float], Transport]] = {
    "generic": lambda url, token, timeout: GenericSmsGateway(url, token, timeout),
}
