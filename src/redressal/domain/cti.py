"""The telephony webhook's signature (SPEC §9): the CTI system signs each call event with a secret it
shares with the bank, over the timestamp and the body, so a forged or replayed event is refused.

``X-Redressal-Signature`` = hex HMAC-SHA256(secret, "<timestamp>.<body>"), ``X-Redressal-Timestamp``
= the Unix time of sending, in seconds. An event more than :data:`MAX_AGE_SECONDS` old (or as far in
the future: a skewed clock) is refused as a replay.
"""

from __future__ import annotations

import hashlib
import hmac

from redressal.domain.errors import DomainError

MAX_AGE_SECONDS = 300
EVENTS = ("ringing", "answered", "ended")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def check_signature(secret: str, timestamp: str, body: bytes, given: str, now_epoch: float) -> None:
    """Refuse an unsigned, wrongly signed or stale event; the rule names the header at fault."""
    if not timestamp or not timestamp.strip().isdigit():
        raise DomainError(
            "signature.timestamp_missing",
            "X-Redressal-Timestamp is missing or not a number",
            field="X-Redressal-Timestamp",
        )
    if not given:
        raise DomainError("signature.missing", "X-Redressal-Signature is missing", field="X-Redressal-Signature")
    expected = signature(secret, timestamp.strip(), body)
    if not hmac.compare_digest(expected, given.strip().lower()):
        raise DomainError("signature.invalid", "the signature does not match", field="X-Redressal-Signature")
    if abs(now_epoch - int(timestamp)) > MAX_AGE_SECONDS:
        raise DomainError(
            "signature.stale",
            f"the event is more than {MAX_AGE_SECONDS} seconds old (or ahead): a replay is refused",
            field="X-Redressal-Timestamp",
        )
