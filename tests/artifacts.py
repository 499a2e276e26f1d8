"""Where tests leave what a person looks at afterwards (screenshots, crawl figures); gitignored."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def screenshots_dir() -> Path:
    """``$REDRESSAL_ARTIFACTS`` if set, else ``test-artifacts/screenshots/`` in the checkout."""
    base = os.environ.get("REDRESSAL_ARTIFACTS")
    path = Path(base) if base else ROOT / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
