"""An evidence file on its way in (SPEC §8 evidence, §13 upload checks): read in chunks into a spooled
temporary file while it is hashed and measured, never into memory whole, and refused as soon as it is
too large or its first bytes are not those of the type it claims."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext

from redressal.core.errors import ValidationFailed
from redressal.domain.filetypes import HEAD_BYTES, content_matches, extension_matches

CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024  # smaller files stay in memory; larger ones go to a temporary file


@dataclass(frozen=True)
class CheckedFile:
    file: IO[bytes]
    size: int
    sha256: str

    def as_django_file(self) -> File:  # type: ignore[type-arg]
        self.file.seek(0)
        return File(self.file)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    chunks = getattr(stream, "chunks", None)  # a Django upload: its own chunking, from its temp file
    if callable(chunks):
        yield from chunks(CHUNK)
        return
    while chunk := stream.read(CHUNK):
        yield chunk


def check_type(content_type: str, filename: str, *, field: str) -> None:
    """The declared type and the name, before a byte is read."""
    if content_type not in settings.EVIDENCE_ALLOWED_TYPES:
        raise ValidationFailed("file_type", f"files of type '{content_type}' are not accepted", field=field)
    if not extension_matches(content_type, filename):
        raise ValidationFailed(
            "file_extension",
            gettext("文件名“%(name)s”与声明的类型 %(type)s 不符。") % {"name": filename[:100], "type": content_type},
            field=field,
        )


@contextmanager
def checked_upload(stream: IO[bytes], *, filename: str, content_type: str, field: str) -> Iterator[CheckedFile]:
    """The file, checked, hashed and spooled; the temporary copy is gone when the block ends."""
    check_type(content_type, filename, field=field)
    limit = settings.EVIDENCE_MAX_BYTES
    digest = hashlib.sha256()
    size = 0
    head = b""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        for chunk in _chunks(stream):
            size += len(chunk)
            if size > limit:
                # Counted as it streams: the declared size of an upload is the client's word.
                raise ValidationFailed("file_size", f"file exceeds {limit} bytes", field=field)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
                if len(head) >= HEAD_BYTES and not content_matches(content_type, head):
                    raise _mismatch(filename, content_type, field)
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ValidationFailed("file_empty", "the file is empty", field=field)
        if len(head) < HEAD_BYTES and not content_matches(content_type, head):
            raise _mismatch(filename, content_type, field)
        spool.seek(0)
        yield CheckedFile(file=spool, size=size, sha256=digest.hexdigest())  # type: ignore[arg-type]


def _mismatch(filename: str, content_type: str, field: str) -> ValidationFailed:
    return ValidationFailed(
        "file_content",
        gettext("文件“%(name)s”的内容不是声明的类型 %(type)s。") % {"name": filename[:100], "type": content_type},
        field=field,
    )


def stored_name(case_number: str, sha256: str, filename: str, fallback: str) -> str:
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "._-")[-100:] or fallback
    return f"{case_number}-{sha256[:12]}-{safe}"
