"""A customer's key on a messaging channel (a WeChat openid): looked up by a keyed hash, exact.

``core.crypto.blind_index`` normalises (drops punctuation, upper-cases) for phone and ID numbers; an
openid is case-sensitive and uses ``-`` and ``_``, so it is hashed as it is, with the same key, and the
channel is part of the input (the same string on two channels is two people)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings


def party_index(channel: str, party: str) -> str:
    key = base64.b64decode(settings.PII_INDEX_KEY)
    return hmac.new(key, f"{channel}\x00{party}".encode(), hashlib.sha256).hexdigest()


def party_ref(channel: str, party: str) -> str:
    """A short handle for logs and pages: the first 10 hex digits of the index (not reversible)."""
    return party_index(channel, party)[:10]
