"""What a person reads on a page, split into the interface's own words and the data it shows.

The crawl and the browser tests ask two questions of a page: does the interface show a raw code or
template syntax, and — in English — does it still show a Chinese UI string? Both are about the page
chrome, not the data (names, complaint texts, unit names are Chinese in any language). Data is marked
by the pages with a ``data-content`` attribute on the element holding it (everything inside is data);
``<pre>``, ``<code>`` and ``<textarea>`` contents are data too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INVISIBLE = {"script", "style", "template", "noscript"}
# Elements whose own text is always interface wording (headings, labels, column heads, buttons, menus).
CHROME = {"th", "label", "button", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "summary", "dt", "caption", "title"}
# Elements whose text is usually data even inside a chrome element (a select's choices inside a label).
NEUTRAL = {"option", "textarea", "td", "dd", "li", "p", "a", "output"}
# Preformatted blocks and code are shown as stored (an audit record's before/after JSON).
DATA_TAGS = {"pre", "code", "textarea"}
TEXT_ATTRS = ("placeholder", "title", "aria-label", "alt")
CJK = re.compile(r"[\u3400-\u9fff]")

RAW_CODE = re.compile(
    r"%\(|\{\{|\{%|%\}|\}\}"  # template or format syntax left in the output
    r"|\b(?:case|task|audit|admin|customer|report|auth|notify)\.[a-z_]+(?:\.[a-z0-9_]+)*\b"  # permissions, events
    r"|\b[a-z]+(?:_[a-z0-9]+)+\b"  # snake_case codes: pending_approval, not_upheld, customer_notified
)


@dataclass
class Piece:
    text: str
    tag: str
    chrome: bool  # inside interface wording (and not inside data)
    data: bool  # inside an element marked data-content, or a form value


@dataclass
class PageText(HTMLParser):
    pieces: list[Piece] = field(default_factory=list)
    _stack: list[tuple[str, bool, bool, bool]] = field(default_factory=list)  # tag, chrome, data, hidden

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _top(self) -> tuple[str, bool, bool, bool]:
        return self._stack[-1] if self._stack else ("", False, False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        _, chrome, data, hidden = self._top()
        a = dict(attrs)
        data = (
            data
            or "data-content" in a
            or tag in DATA_TAGS
            or (tag == "button" and a.get("name") == "language")  # each language named in itself: "中文"
        )
        hidden = hidden or tag in INVISIBLE or "hidden" in a
        if tag in CHROME:
            chrome = True
        elif tag in NEUTRAL:
            chrome = False
        if not hidden:
            for name in TEXT_ATTRS:
                value = a.get(name)
                if value:
                    self.pieces.append(Piece(value.strip(), tag, True, data))
            if tag == "input" and a.get("type") in ("submit", "button", "reset") and a.get("value"):
                self.pieces.append(Piece(str(a["value"]).strip(), tag, True, data))
        if tag not in VOID:
            self._stack.append((tag, chrome, data, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        # Tolerate unclosed elements (<p>, <li>): pop to the matching open tag, if any.
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        tag, chrome, is_data, hidden = self._top()
        text = " ".join(data.split())
        if text and not hidden:
            self.pieces.append(Piece(text, tag, chrome, is_data))


def page_text(html: str) -> list[Piece]:
    parser = PageText()
    parser.feed(html)
    parser.close()
    return parser.pieces


def raw_codes(pieces: list[Piece]) -> list[str]:
    """Codes and template syntax in the interface text (data may contain anything)."""
    found = []
    for p in pieces:
        if p.data:
            continue
        for m in RAW_CODE.finditer(p.text):
            found.append(f"{m.group(0)!r} in <{p.tag}> {p.text[:80]!r}")
    return found


def untranslated(pieces: list[Piece], msgids: set[str], data: frozenset[str] = frozenset()) -> list[str]:
    """For an English page: Chinese UI strings left in Chinese.

    A text that is exactly a catalogue msgid is the interface's own string wherever it sits; any
    Chinese at all inside a heading, label, column head, button or menu is untranslated wording.
    ``data`` are texts known to be stored data (people's and units' names, products) wherever they
    appear unmarked — "总行" is both a unit's name and a msgid.
    """
    found = []
    for p in pieces:
        if p.data or not CJK.search(p.text) or p.text in data:
            continue
        bare = p.text.strip(" ：:·|/()（）—-*")
        if bare in msgids or p.text in msgids:
            found.append(f"msgid {bare!r} in <{p.tag}>")
        elif p.chrome and CJK.search(_without(p.text, data)):
            found.append(f"Chinese in <{p.tag}>: {p.text[:80]!r}")
    return found


def _without(text: str, data: frozenset[str]) -> str:
    """``text`` with the data it quotes taken out ("Task：核查扣费日志" → "Task：")."""
    for item in sorted((d for d in data if len(d) > 1 and d in text), key=len, reverse=True):
        text = text.replace(item, "")
    return text
