"""Signing in to the customer portal with a one-time code sent by SMS (SPEC §9 online/mobile banking).

Pure rules: what a phone number is, how long a code lives, how often one may be asked for and tried,
and when a captcha stands in front of both. The services count the rows; these functions decide.

The limits follow common practice for SMS one-time passwords (JR/T 0068-2020 网上银行系统信息安全通用
规范 asks for a limited validity and a limited number of tries of a dynamic password; NIST SP 800-63B
§5.1.3 the same for out-of-band codes): a six-digit code, five minutes, five tries, and throttles per
phone and per address so that the gateway cannot be used to flood a phone or to guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from redressal.domain.errors import DomainError

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
# Wrong tries of one code; after the last one the code is dead and a new one must be asked for.
MAX_ATTEMPTS = 5
# Sending: once a minute and five times an hour to one phone, twenty times an hour from one address.
RESEND_INTERVAL = timedelta(seconds=60)
SEND_WINDOW = timedelta(hours=1)
MAX_SENDS_PER_PHONE = 5
MAX_SENDS_PER_IP = 20
# Failed verifications (a wrong or dead code) within the window, for the phone or the address, after
# which every further request for a code and every try needs a solved captcha.
FAILURE_WINDOW = timedelta(hours=1)
CAPTCHA_AFTER_FAILURES = 3
# A customer session: ends after 30 idle minutes, and at the latest 12 hours after sign-in.
SESSION_IDLE = timedelta(minutes=30)
SESSION_MAX = timedelta(hours=12)

_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalise_phone(raw: str) -> str:
    """A mainland mobile number as its 11 digits: full-width digits, spaces, dashes and a +86/0086
    prefix do not matter. Anything else is refused naming the field."""
    text = unicodedata.normalize("NFKC", raw or "")
    digits = "".join(ch for ch in text if ch.isdigit())
    stripped = text.strip()
    if stripped.startswith("+86") or (stripped.startswith("0086") and len(digits) == 15):
        digits = digits[2:] if stripped.startswith("+86") else digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise DomainError("otp.phone_invalid", "a mainland mobile number of 11 digits is required", field="phone")
    return digits


def check_code_format(code: str) -> str:
    """The code as typed, trimmed; six digits or refused before any row is looked at."""
    text = unicodedata.normalize("NFKC", code or "").strip()
    if len(text) != CODE_LENGTH or not text.isdigit():
        raise DomainError("otp.code_format", f"the code has {CODE_LENGTH} digits", field="code")
    return text


def code_from(randbelow: int) -> str:
    """The code for a random number below ``10 ** CODE_LENGTH``, zero-padded."""
    if not 0 <= randbelow < 10**CODE_LENGTH:
        raise ValueError("randbelow out of range")
    return str(randbelow).zfill(CODE_LENGTH)


@dataclass(frozen=True)
class SendHistory:
    """What was sent recently: the last send to the phone, and the counts within ``SEND_WINDOW``."""

    last_to_phone: datetime | None
    sends_to_phone: int
    sends_from_ip: int


class Throttled(DomainError):
    """Too many requests; ``retry_after`` seconds until one is allowed again."""

    def __init__(self, rule: str, message: str, retry_after: int) -> None:
        super().__init__(rule, message, field="phone")
        self.retry_after = max(1, retry_after)


def check_send(history: SendHistory, now: datetime) -> None:
    """Whether a new code may be sent now; raises :class:`Throttled` naming when it may."""
    if history.last_to_phone is not None and now - history.last_to_phone < RESEND_INTERVAL:
        wait = RESEND_INTERVAL - (now - history.last_to_phone)
        raise Throttled(
            "otp.too_soon", "a code was sent to this phone less than a minute ago", int(wait.total_seconds())
        )
    if history.sends_to_phone >= MAX_SENDS_PER_PHONE:
        raise Throttled("otp.phone_limit", "too many codes sent to this phone; try again later", 3600)
    if history.sends_from_ip >= MAX_SENDS_PER_IP:
        raise Throttled("otp.ip_limit", "too many codes requested from this address; try again later", 3600)


def captcha_required(phone_failures: int, ip_failures: int) -> bool:
    """Whether the next request for a code, or the next try, needs a solved captcha."""
    return phone_failures >= CAPTCHA_AFTER_FAILURES or ip_failures >= CAPTCHA_AFTER_FAILURES


@dataclass(frozen=True)
class ChallengeState:
    expires_at: datetime
    attempts: int
    used: bool


def check_usable(challenge: ChallengeState | None, now: datetime) -> None:
    """Whether a code may still be tried: one was sent, is unused, alive and not tried too often."""
    if challenge is None or challenge.used:
        raise DomainError("otp.no_code", "no code is waiting for this phone; ask for a new one", field="code")
    if now >= challenge.expires_at:
        raise DomainError("otp.expired", "the code has expired; ask for a new one", field="code")
    if challenge.attempts >= MAX_ATTEMPTS:
        raise DomainError("otp.attempts_exhausted", "the code was tried too often; ask for a new one", field="code")


def session_alive(created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at < SESSION_IDLE and now - created_at < SESSION_MAX
