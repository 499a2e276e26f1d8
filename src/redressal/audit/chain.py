"""Hash chaining shared by case events and audit events (SPEC §13): tampering is detectable.

Each link is an HMAC-SHA256 under ``REDRESSAL_AUDIT_KEY`` of the previous link and the event's fields,
and each chain's head (its last sequence number and link) carries a seal, an HMAC under the same key.
Whoever can write to the database but does not hold the key can neither recompute a chain after an
edit nor move a head back after deleting the newest events (docs/decisions/0010-keyed-audit-chain.md).

Links written before the key existed are plain SHA-256 (:func:`legacy_digest`); every chain records,
under its sealed head, the first sequence number that is keyed, so a row cannot be passed off as old.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings

from redressal.core.config import hmac_key

GENESIS = "0" * 64


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _body(prev_hash: str, fields: dict[str, Any]) -> bytes:
    body = json.dumps(
        {k: _norm(v) for k, v in fields.items()}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return (prev_hash + body).encode("utf-8")


@lru_cache(maxsize=4)
def _decode(value: str) -> bytes:
    return hmac_key(value, "REDRESSAL_AUDIT_KEY")


def _mac(message: bytes) -> str:
    return hmac.new(_decode(settings.AUDIT_KEY), message, hashlib.sha256).hexdigest()


def legacy_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    """The unkeyed link of chains written before the audit key: anyone can recompute it."""
    return hashlib.sha256(_body(prev_hash, fields)).hexdigest()


def digest(prev_hash: str, fields: dict[str, Any]) -> str:
    """The keyed link of a new event."""
    return _mac(_body(prev_hash, fields))


def link(prev_hash: str, fields: dict[str, Any], *, seq: int, keyed_from: int) -> str:
    """The link an event at ``seq`` must carry in a chain whose keyed part starts at ``keyed_from``."""
    return digest(prev_hash, fields) if seq >= keyed_from else legacy_digest(prev_hash, fields)


def seal(chain: str, seq: int, last_hash: str, keyed_from: int) -> str:
    """The seal of a chain head: binds the chain's name, its length, its last link and its keyed start."""
    # "head:" cannot begin a link's input, which starts with a hex digest: the two never collide.
    message = "head:" + json.dumps([chain, seq, last_hash, keyed_from], ensure_ascii=False, separators=(",", ":"))
    return _mac(message.encode("utf-8"))


def seals_match(stored: str, expected: str) -> bool:
    return hmac.compare_digest(stored.encode(), expected.encode())
