"""Rules for mail that comes in (SPEC §9 email channel): what is a machine's mail and not a customer's,
which case a reply names, how a Message-ID is written down. Pure: the headers in, a verdict out.

- Auto-replies and bounces are no complaints. RFC 3834 §5 (``Auto-Submitted`` other than ``no``),
  RFC 3462/6522 delivery and disposition reports (``multipart/report``), the de-facto markers
  (``X-Autoreply``, ``X-Autorespond``, ``Precedence: bulk|junk|auto_reply|list``) and the null or
  daemon senders of bounces (``MAILER-DAEMON``, ``postmaster``, an empty ``Return-Path``) are all taken
  as a machine speaking. Answering them would start a mail loop; registering them would file cases
  nobody brought.
- A case number is ``TS{yyyymmdd}{unit code}{seq:04d}`` (cases.services.numbering); a reply names it in
  its subject (``Re: 关于您的投诉 TS20240920BJ010001``).
- A Message-ID is kept without its angle brackets and surrounding space (RFC 5322 §3.6.4 ``msg-id``);
  a message that has none gets a key from the digest of its bytes, so the same bytes fetched twice are
  still one message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# What the numbering service writes: a prefix, eight digits of the day, a unit code, four digits.
CASE_NUMBER = re.compile(r"(?<![A-Za-z0-9])(TS\d{8}[A-Z0-9]{1,16}?\d{4})(?![A-Za-z0-9])")
_MSG_ID = re.compile(r"<([^<>\s\x00-\x1f\x7f]+)>")

AUTO_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply", "list"})
DAEMON_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")
REPORT_TYPES = frozenset({"multipart/report", "message/delivery-status", "message/disposition-notification"})

SYNTHETIC_PREFIX = "sha256:"


@dataclass(frozen=True)
class Verdict:
    automatic: bool
    reason: str = ""  # which marker said so (for the staff list; a code, worded by the page)


def automatic(headers: Mapping[str, str], content_type: str, sender: str) -> Verdict:
    """Whether a machine sent this (an auto-reply, a bounce, a read receipt, a list): ``headers`` with
    lower-case names, ``content_type`` the top-level type, ``sender`` the From address."""
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return Verdict(True, "auto_submitted")
    if content_type.lower() in REPORT_TYPES:
        return Verdict(True, "delivery_report")
    if headers.get("x-autoreply", "").strip() or headers.get("x-autorespond", "").strip():
        return Verdict(True, "autoreply_header")
    if headers.get("precedence", "").strip().lower() in AUTO_PRECEDENCE:
        return Verdict(True, "precedence")
    local = sender.strip().lower().partition("@")[0]
    if local in DAEMON_SENDERS:
        return Verdict(True, "daemon_sender")
    if "return-path" in headers and headers["return-path"].strip() in ("<>", ""):
        return Verdict(True, "null_sender")
    return Verdict(False)


def case_numbers_in(subject: str) -> list[str]:
    """The case numbers a subject names, first first (a reply quotes one; a forwarded chain may quote more)."""
    seen: list[str] = []
    for match in CASE_NUMBER.finditer(subject.upper()):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def message_id(value: str) -> str:
    """One msg-id as kept: no brackets, no space; "" when there is none."""
    found = _MSG_ID.search(value or "")
    if found:
        return found.group(1)[:250]
    bare = (value or "").strip()
    if not bare or "@" not in bare or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in bare):
        return ""
    return bare[:250]


def message_ids(values: Iterable[str]) -> list[str]:
    """Every msg-id in ``In-Reply-To`` and ``References`` headers, in order, once each."""
    out: list[str] = []
    for value in values:
        for found in _MSG_ID.findall(value or ""):
            if found not in out:
                out.append(found[:250])
    return out


def synthetic_id(sha256: str) -> str:
    """The key of a message that carries no Message-ID: the same bytes, the same key."""
    return SYNTHETIC_PREFIX + sha256


def is_synthetic(key: str) -> bool:
    return key.startswith(SYNTHETIC_PREFIX)


def ours(msg_id: str, domain: str) -> str:
    """The outbox key inside a Message-ID we wrote (``<key@domain>``, notify.transports), or "" if the
    id is someone else's."""
    local, _, host = msg_id.rpartition("@")
    if not local or host.lower() != domain.lower():
        return ""
    return local if re.fullmatch(r"[0-9a-f]{32}", local) else ""


def reply_subject(subject: str) -> str:
    """The subject of our answer in the customer's thread: one ``Re:``, never ``Re: Re:``."""
    text = subject.strip()
    return text if re.match(r"(?i)^(re|回复|答复)\s*[:：]", text) else f"Re: {text}"
