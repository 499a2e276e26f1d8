"""The piece of a case's text around what was searched for, with the words marked (SPEC §12 search).

A compliance officer scanning search results judges each by the sentence that matched, not by the case
number. The words are the search's own terms (``search.selectors.terms``: the query segmented as the
index was), found case-insensitively in the text as the reader may see it (masked where they must not
see ID, phone or card numbers); everything else is escaped.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BEFORE = 30
LENGTH = 120


def snippet(text: str, words: list[str]) -> SafeString:
    """About ``LENGTH`` characters of ``text`` from a little before the first word found, each word in
    ``<mark>``; the start of the text when none is found (a match in a note or a name)."""
    flat = " ".join(text.split())
    wanted = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not flat:
        return mark_safe("")
    pattern = re.compile("|".join(re.escape(w) for w in wanted), re.IGNORECASE) if wanted else None
    first = pattern.search(flat) if pattern else None
    start = max(0, first.start() - BEFORE) if first else 0
    piece = flat[start : start + LENGTH]
    out: list[str] = ["…" if start else ""]
    pos = 0
    for m in pattern.finditer(piece) if pattern else ():
        out.append(escape(piece[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(piece[pos:]))
    if start + LENGTH < len(flat):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 -- every piece of the text is escaped above
