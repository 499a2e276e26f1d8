"""Hash chaining shared by case events and audit events (SPEC §13): tampering is detectable."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def digest(prev_hash: str, fields: dict[str, Any]) -> str:
    body = json.dumps(
        {k: _norm(v) for k, v in fields.items()}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()
