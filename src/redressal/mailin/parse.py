"""A fetched message, read with the standard library (``email.policy.default``): who sent it, what it
says, what it carries. Chinese mail comes in GB 2312/GBK/GB 18030 bodies, RFC 2047 encoded-word subjects
and file names (also inside quoted parameters, as common clients write them) and RFC 2231 parameters;
all are decoded here. A message that cannot be read as a message raises :class:`Malformed`: the caller
quarantines it, it never stops the poller.
"""

from __future__ import annotations

import html
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import errors as email_errors
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from redressal.domain import mail as rules
from redressal.domain.filetypes import EXTENSIONS

# Labels that under-promise: mail labelled GB 2312 or GBK routinely holds GB 18030 characters.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030"}
# Structural defects: the MIME tree is not what the headers say, so parts may be lost or invented.
FATAL_DEFECTS = (
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.CloseBoundaryNotFoundDefect,
)
MAX_BODY = 20000


class Malformed(Exception):
    """``code`` names what was wrong (the staff page words it)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Attachment:
    filename: str
    declared_type: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str  # as kept (domain.mail.message_id), or "" when the message has none
    sender: str  # the From address, lower-cased
    display_name: str
    subject: str
    sent_at: datetime | None
    references: list[str]  # In-Reply-To first, then References
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    verdict: rules.Verdict = field(default_factory=lambda: rules.Verdict(False))


def header_message_id(raw: bytes) -> str:
    """The Message-ID alone, for a message too broken to parse whole (its key in the quarantine)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = re.search(rb"(?im)^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", head)
    return rules.message_id(found.group(1).decode("ascii", "replace")) if found else ""


def header_facts(raw: bytes) -> tuple[str, str]:
    """The sender and subject of a message too broken to parse whole, as far as its headers can be read
    (for the quarantine list); empty where they cannot."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        pairs = [a for _n, a in getaddresses([str(headers.get("from", ""))]) if "@" in a]
        subject = _decode_words(str(headers.get("subject", "")))
    except Exception:  # the headers too are beyond reading
        return "", ""
    return (clean(pairs[0]).strip().lower()[:254] if pairs else ""), clean(subject).strip()[:500]


def clean(text: str) -> str:
    """No NUL or other C0 control but tab and line ends: PostgreSQL refuses NUL in text."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def _decode_words(value: str) -> str:
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, UnicodeDecodeError, email_errors.HeaderParseError):
        return value


def _header(msg: EmailMessage, name: str) -> str:
    value: object
    try:
        value = msg.get(name)
    except (IndexError, ValueError, LookupError, TypeError):  # a header the parser chokes on: its raw text
        value = next((v for k, v in msg.raw_items() if k.lower() == name), None)
    if value is None:
        return ""
    return clean(_decode_words(str(value))).strip()


def _decode(payload: bytes, charset: str | None) -> str:
    name = (charset or "utf-8").strip().lower()
    name = CHARSET_ALIASES.get(name, name)
    for candidate in (name, "utf-8", "gb18030"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode(name if _known(name) else "utf-8", errors="replace")


def _known(codec: str) -> bool:
    try:
        "".encode(codec)
    except LookupError:
        return False
    return True


class _Text(HTMLParser):
    SKIP = {"script", "style", "head", "title"}
    BREAK = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BREAK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.out))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = clean(_decode(payload, part.get_content_charset()))
    return html_to_text(text) if part.get_content_type() == "text/html" else text.strip()


def _filename(part: EmailMessage, index: int) -> str:
    try:
        name = part.get_filename() or part.get_param("name", header="content-type") or ""
    except (LookupError, ValueError):
        name = ""
    if isinstance(name, tuple):  # an RFC 2231 value the parser left undecoded
        name = _decode(name[2].encode("latin-1", "replace"), name[0])
    name = clean(_decode_words(str(name))).replace("\\", "/").rsplit("/", 1)[-1].strip().strip("\x00")
    if name:
        return name[:200]
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    return f"attachment-{index}{extension}"


def content_type_for(declared: str, filename: str) -> str:
    """The type an attachment is checked as: the declared one, unless it is the generic octet stream
    (what many clients send for a PDF or a photo), then the one its extension names."""
    declared = declared.lower()
    if declared not in ("application/octet-stream", "application/x-download", "binary/octet-stream"):
        return declared
    extension = filename.rpartition(".")[2].lower()
    for content_type, extensions in EXTENSIONS.items():
        if extension in extensions:
            return content_type
    return declared


def parse(raw: bytes) -> ParsedMail:
    try:
        msg = message_from_bytes(raw, policy=policy.default)
    except Exception as exc:
        raise Malformed("unparseable", type(exc).__name__) from None
    if not isinstance(msg, EmailMessage):
        raise Malformed("unparseable")
    for defect in msg.defects:
        if isinstance(defect, FATAL_DEFECTS):
            raise Malformed("mime_structure", type(defect).__name__)
    try:
        return _parse(msg)
    except Malformed:
        raise
    except Exception as exc:
        raise Malformed("undecodable", type(exc).__name__) from None


def _parse(msg: EmailMessage) -> ParsedMail:
    sender_header = _header(msg, "from")
    pairs = [(n, a) for n, a in getaddresses([sender_header]) if "@" in a]
    if not pairs:
        raise Malformed("no_sender")
    display_name, sender = pairs[0]
    sender = sender.strip().lower()
    if len(sender) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+", sender):
        raise Malformed("no_sender")
    for part in msg.walk():
        for defect in getattr(part, "defects", []):
            if isinstance(defect, FATAL_DEFECTS):
                raise Malformed("mime_structure", type(defect).__name__)
    headers = {k.lower(): _header(msg, k) for k in set(msg.keys())}
    verdict = rules.automatic(headers, msg.get_content_type(), sender)
    date_text = _header(msg, "date")
    try:
        sent_at = parsedate_to_datetime(date_text) if date_text else None
        # Naive, or beyond what a database column holds once in UTC: no date rather than a failed write.
        if sent_at is not None and (sent_at.tzinfo is None or not 1970 <= sent_at.year <= 2100):
            sent_at = None
    except (TypeError, ValueError, IndexError, OverflowError):
        sent_at = None
    body_part = msg.get_body(preferencelist=("plain", "html"))
    body = _part_text(body_part) if isinstance(body_part, EmailMessage) else ""  # type: ignore[arg-type]
    attachments: list[Attachment] = []
    for index, part in enumerate(msg.walk(), start=1):
        if part is body_part or part.is_multipart():
            continue
        if part.get_content_type() in ("text/plain", "text/html") and not part.get_filename():
            # The other half of a multipart/alternative body, or a text part with no name: text, not a file.
            if part.get_content_disposition() != "attachment":
                continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        attachments.append(Attachment(_filename(part, index), part.get_content_type(), data))  # type: ignore[arg-type]
    references = rules.message_ids([_header(msg, "in-reply-to"), _header(msg, "references")])
    return ParsedMail(
        message_id=rules.message_id(_header(msg, "message-id")),
        sender=sender,
        display_name=clean(display_name).strip()[:100],
        subject=_header(msg, "subject")[:500],
        sent_at=sent_at,
        references=references,
        body=body[:MAX_BODY],
        attachments=attachments,
        verdict=verdict,
    )
