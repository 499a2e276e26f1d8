"""Runtime configuration from ``REDRESSAL_*`` environment variables.

In demo mode (the embedded default) missing secrets are generated once and kept in the data
directory so that a restart can still read what it encrypted. Outside demo mode the app refuses to
start without them: a bank must never run on a key that sits next to its database by accident.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    """Raised when the environment does not describe a runnable installation."""


def data_dir() -> Path:
    path = Path(os.environ.get("REDRESSAL_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_mode() -> bool:
    return os.environ.get("REDRESSAL_MODE", "demo").strip().lower() == "demo"


def _generators() -> dict[str, str]:
    return {
        "secret_key": secrets.token_urlsafe(50),
        "pii_keys": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "pii_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "audit_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def _demo_secrets() -> dict[str, str]:
    path = data_dir() / "demo-secrets.json"
    loaded: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    # A data directory from before a secret existed keeps its old ones (they decrypt what is stored)
    # and gains the new one.
    missing = {name: value for name, value in _generators().items() if name not in loaded}
    if missing:
        loaded |= missing
        path.write_text(json.dumps(loaded))
        path.chmod(0o600)
    return loaded


def secret(name: str, env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if demo_mode():
        return _demo_secrets()[name]
    raise ConfigurationError(f"{env} must be set outside demo mode (REDRESSAL_MODE={os.environ.get('REDRESSAL_MODE')})")


def hmac_key(value: str, env: str) -> bytes:
    """A base64 HMAC key of at least 32 bytes; checked when settings load, so a bad one stops the start."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"{env} must be base64 (32 random bytes or more)") from None
    if len(raw) < 32:
        raise ConfigurationError(f"{env} must hold at least 32 bytes")
    return raw
