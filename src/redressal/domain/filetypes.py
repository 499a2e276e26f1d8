"""What an evidence file must look like to be the type it claims (SPEC §13 "upload checks").

The browser's declared type and the file name are the uploader's say-so: an HTML page or a Windows
program sent as ``application/pdf`` was stored and served as a PDF. Here the first bytes of the content
are compared with the signature of the declared type, and the name's extension with the extensions of
that type. A pure table (no libmagic): the allowed types are few and fixed by configuration.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

# Enough for every signature below, and for a look at the start of a text file.
HEAD_BYTES = 1024

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")  # an RFC 5322 header field name, then ":"


def _text(head: bytes) -> bool:
    """Text, in UTF-8 or GB 18030 (the encodings a Chinese bank's files come in), with no NUL byte:
    a program, an archive or an image has NULs or invalid sequences within its first kilobyte."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # Not final: the head may end inside a multi-byte character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _email(head: bytes) -> bool:
    return _text(head) and bool(_HEADER_LINE.match(head.lstrip(b"\r\n")))


def _mp3(head: bytes) -> bool:
    # An ID3v2 tag, or straight into an MPEG audio frame (11 set sync bits).
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "application/pdf": lambda h: h.startswith(b"%PDF-"),
    "image/jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "image/png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/gif": lambda h: h.startswith((b"GIF87a", b"GIF89a")),
    "text/plain": _text,
    "audio/mpeg": _mp3,
    "audio/wav": lambda h: h.startswith(b"RIFF") and h[8:12] == b"WAVE",
    "video/mp4": lambda h: h[4:8] == b"ftyp",
    "message/rfc822": _email,
    # Office Open XML is a ZIP package.
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": lambda h: h.startswith(b"PK\x03\x04"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": lambda h: h.startswith(b"PK\x03\x04"),
}

EXTENSIONS: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({"pdf"}),
    "image/jpeg": frozenset({"jpg", "jpeg", "jpe", "jfif"}),
    "image/png": frozenset({"png"}),
    "image/gif": frozenset({"gif"}),
    "text/plain": frozenset({"txt", "text", "log", "csv"}),
    "audio/mpeg": frozenset({"mp3", "mpga"}),
    "audio/wav": frozenset({"wav"}),
    "video/mp4": frozenset({"mp4", "m4v"}),
    "message/rfc822": frozenset({"eml"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": frozenset({"xlsx"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({"docx"}),
}


def content_matches(content_type: str, head: bytes) -> bool:
    """Whether the first bytes of a file are those of ``content_type``. A type with no known signature
    never matches: allowing a new type in configuration means adding its signature here."""
    check = SIGNATURES.get(content_type)
    return check is not None and check(head)


def extension_matches(content_type: str, filename: str) -> bool:
    """Whether the name's extension belongs to ``content_type``; a name without one is accepted
    (the stored copy is served with the checked type, never by its name)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return True
    extension = base.rsplit(".", 1)[1].lower()
    return extension in EXTENSIONS.get(content_type, frozenset())
