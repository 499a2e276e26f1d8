"""A collaborator's reply with attachments (SPEC §8: collaboration tasks have a reply and attachments).

The reply goes through ``reply_task``; each attachment becomes evidence of the case, marked with the
task, with its own hash-chained event — all in one transaction, so a refused file leaves no reply
behind. The collaborator never needs (or gets) ``case.investigate``: the task's department scope is
the authority here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from redressal.cases.models import CollaborationTask, Evidence
from redressal.cases.services._base import lock_case
from redressal.cases.services.events import HEAD_FIELDS, append_event
from redressal.cases.services.handling import reply_task
from redressal.core.clock import now
from redressal.core.errors import ValidationFailed
from redressal.org.authz import Actor

MAX_FILES = 5


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def _check(upload: Upload) -> None:
    if upload.content_type not in settings.EVIDENCE_ALLOWED_TYPES:
        raise ValidationFailed(
            "file_type", f"files of type '{upload.content_type}' are not accepted", field="attachments"
        )
    if len(upload.data) > settings.EVIDENCE_MAX_BYTES:
        raise ValidationFailed("file_size", f"file exceeds {settings.EVIDENCE_MAX_BYTES} bytes", field="attachments")
    if not upload.data:
        raise ValidationFailed("file_empty", "the file is empty", field="attachments")


def reply_task_with_files(task_id: int, *, actor: Actor, reply: str, files: list[Upload]) -> CollaborationTask:
    if len(files) > MAX_FILES:
        raise ValidationFailed("too_many_files", f"at most {MAX_FILES} files", field="attachments")
    for upload in files:
        _check(upload)
    with transaction.atomic():
        task = reply_task(task_id, actor=actor, reply=reply)
        if not files:
            return task
        case = lock_case(task.case_id)
        current = now()
        for upload in files:
            sha = hashlib.sha256(upload.data).hexdigest()
            safe = "".join(ch for ch in upload.filename if ch.isalnum() or ch in "._-")[-100:] or "attachment"
            ev = Evidence(
                case=case,
                kind=Evidence.Kind.ELECTRONIC,
                filename=upload.filename[:200],
                content_type=upload.content_type,
                size=len(upload.data),
                sha256=sha,
                description=f"task:{task.pk}",
                uploaded_by=actor.staff,
                uploaded_at=current,
            )
            ev.file.save(f"{case.case_number}-{sha[:12]}-{safe}", ContentFile(upload.data), save=False)
            ev.save()
            append_event(
                case,
                "evidence_added",
                actor=actor,
                payload={"evidence_id": ev.pk, "task_id": task.pk, "kind": ev.kind, "filename": ev.filename,
                         "sha256": sha, "size": ev.size},
            )
        case.version += 1
        case.save(update_fields=["version", *HEAD_FIELDS])
    return task
