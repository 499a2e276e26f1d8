"""Runtime configuration from ``REDRESSAL_*`` environment variables.

In demo mode (the embedded default) missing secrets are generated once and kept in the data
directory so that a restart can still read what it encrypted. Outside demo mode the app refuses to
start without them: a bank must never run on a key that sits next to its database by accident.
"""

from __future__ import annotations

import base64
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


def _demo_secrets() -> dict[str, str]:
    path = data_dir() / "demo-secrets.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        return loaded
    generated = {
        "secret_key": secrets.token_urlsafe(50),
        "pii_keys": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "pii_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    path.write_text(json.dumps(generated))
    path.chmod(0o600)
    return generated


def secret(name: str, env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if demo_mode():
        return _demo_secrets()[name]
    raise ConfigurationError(f"{env} must be set outside demo mode (REDRESSAL_MODE={os.environ.get('REDRESSAL_MODE')})")
