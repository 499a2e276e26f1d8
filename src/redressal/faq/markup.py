"""An answer's Markdown-lite to safe HTML: everything is escaped first (an answer imported from a CSV
is never trusted), then ``[label](https://…)`` and bare http(s) addresses become links, blank lines
paragraphs and single line breaks ``<br>``. Nothing else is interpreted."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# An absolute http(s) address, or a path on this site ("/portal/", never "//host").
_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s)\"'<>]{1,500}|/(?!/)[^\s)\"'<>]{0,500})\)")
_BARE = re.compile(r"(?<![\"'=>])\b(https?://[^\s<>\"']{1,500})")


def _links(escaped: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _LINK.finditer(escaped):
        out.append(_bare(escaped[pos : m.start()]))
        out.append(_anchor(m.group(2), m.group(1)))
        pos = m.end()
    out.append(_bare(escaped[pos:]))
    return "".join(out)


def _bare(text: str) -> str:
    return _BARE.sub(lambda m: _anchor(m.group(1), m.group(1)), text)


def _anchor(href: str, label: str) -> str:
    return f'<a href="{href}" rel="noopener noreferrer" target="_blank">{label}</a>'


def render(answer: str) -> SafeString:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", answer.replace("\r\n", "\n")) if p.strip()]
    html = "".join(f"<p>{_links(escape(p)).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return mark_safe(html)  # noqa: S308 - built from escaped text only


def plain(answer: str) -> str:
    """The answer as plain text for a channel without HTML (WeChat): links as "label: address"."""
    return _LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", answer).strip()
