"""Encryption of personal data at rest (SPEC §13).

Values are sealed with AES-256-GCM under the active key; the key id travels with the ciphertext so
older keys keep decrypting after a rotation (``REDRESSAL_PII_KEYS="k2:<new>,k1:<old>"``, then
``redressal pii-rotate`` re-seals every value under ``k2``). Exact look-ups use a keyed HMAC
("blind index") of the normalised value, so the database never needs the plaintext to find a
customer by phone or ID number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1"


class DecryptionError(ValueError):
    pass


@lru_cache(maxsize=8)
def _keys(spec: str) -> tuple[str, dict[str, bytes]]:
    keys: dict[str, bytes] = {}
    active = ""
    for part in spec.split(","):
        kid, _, b64 = part.strip().partition(":")
        raw = base64.b64decode(b64)
        if len(raw) != 32 or not kid:
            raise ValueError("REDRESSAL_PII_KEYS entries must be '<id>:<base64 of 32 bytes>'")
        keys[kid] = raw
        active = active or kid
    return active, keys


def active_key_id() -> str:
    return _keys(settings.PII_KEYS)[0]


def encrypt(plaintext: str) -> str:
    active, keys = _keys(settings.PII_KEYS)
    nonce = os.urandom(12)
    sealed = AESGCM(keys[active]).encrypt(nonce, plaintext.encode("utf-8"), active.encode())
    return ":".join((_PREFIX, active, base64.b64encode(nonce + sealed).decode()))


def decrypt(token: str) -> str:
    try:
        prefix, kid, b64 = token.split(":", 2)
        if prefix != _PREFIX:
            raise DecryptionError("unknown ciphertext version")
        blob = base64.b64decode(b64)
        key = _keys(settings.PII_KEYS)[1][kid]
        return AESGCM(key).decrypt(blob[:12], blob[12:], kid.encode()).decode("utf-8")
    except DecryptionError:
        raise
    except Exception as exc:  # any malformed or foreign value is one kind of failure to callers
        raise DecryptionError("cannot decrypt personal data (wrong key or damaged value)") from exc


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def normalise(value: str) -> str:
    """Same person, same index: full-width digits, spaces, dashes and case do not matter."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if ch.isalnum()).upper()


def blind_index(value: str) -> str:
    key = base64.b64decode(settings.PII_INDEX_KEY)
    return hmac.new(key, normalise(value).encode("utf-8"), hashlib.sha256).hexdigest()


def address_index(value: str) -> str:
    """Blind index of an email address. Not ``blind_index``: that one keeps letters and digits only (right
    for phone and ID numbers), so ``zhang.san@qq.com`` and ``zhangsan@qq.com`` — two mailboxes, two
    people — would share an index and one could write into the other's case. Here the whole address
    counts, case-folded (mail providers treat the local part case-insensitively in practice), under
    its own label so it never equals another field's index."""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    key = base64.b64decode(settings.PII_INDEX_KEY)
    return hmac.new(key, b"email\x00" + text.encode("utf-8"), hashlib.sha256).hexdigest()
