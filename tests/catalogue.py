"""The English catalogue as the tests see it: ``django.po`` plus the helpers' ``pending/*.json``.

New msgids wait in ``locale/en/pending/<helper>.json`` until the lead merges them into ``django.po``
and compiles the ``.mo``. Until then the English pages would show them in Chinese, so the browser and
crawl tests lay the pending translations over the loaded catalogue (as the merge will) — a msgid with
no English anywhere still shows in Chinese and fails the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "src/redressal/locale/en"


def _unquote(text: str) -> str:
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def po_entries() -> dict[str, str]:
    """msgid → msgstr of ``django.po`` (singular forms; enough to know which Chinese is a UI string)."""
    text = (LOCALE / "LC_MESSAGES/django.po").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for block in text.split("\n\n"):
        msgid = _field(block, "msgid")
        if msgid:
            out[msgid] = _field(block, "msgstr") or _field(block, "msgstr[0]")
    return out


def _field(block: str, name: str) -> str:
    m = re.search(rf'^{re.escape(name)} "(.*)"\n?((?:".*"\n?)*)', block, re.M)
    if not m:
        return ""
    parts = [m.group(1), *re.findall(r'^"(.*)"$', m.group(2), re.M)]
    return "".join(_unquote(p) for p in parts)


def pending_entries() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((LOCALE / "pending").glob("*.json")) if (LOCALE / "pending").is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        out.update({str(k): str(v) for k, v in data.items()})
    return out


def ui_msgids(min_length: int = 3) -> set[str]:
    """The Chinese UI strings: msgids with a CJK character, at least ``min_length`` characters long."""
    ids = set(po_entries()) | {k.rpartition("|")[2] for k in pending_entries()}
    return {m for m in ids if len(m) >= min_length and re.search(r"[\u4e00-\u9fff]", m)}


@contextmanager
def pending_translations() -> Iterator[None]:
    """Lay the pending English over the loaded catalogue for the duration (the server shares it)."""
    from django.utils import translation
    from django.utils.translation import trans_real

    with translation.override("en"):
        catalog = trans_real.translation("en")._catalog  # type: ignore[attr-defined]
    # "context|msgid" in the JSON is "context\x04msgid" in a gettext catalogue (pgettext).
    entries = {k.replace("|", "\x04", 1): v for k, v in pending_entries().items()}
    added = [k for k in entries if k not in catalog]
    for msgid, english in entries.items():
        if msgid not in catalog and english:
            catalog[msgid] = english
    try:
        yield
    finally:
        first = catalog._catalogs[0]
        for msgid in added:
            first.pop(msgid, None)
