"""A collaborator's reply with attachments (SPEC §8: collaboration tasks have a reply and attachments).

The reply goes through ``reply_task``; each attachment becomes evidence of the case, marked with the
task, with its own hash-chained event — all in one transaction, so a refused file leaves no reply
behind. The collaborator never needs (or gets) ``case.investigate``: the task's department scope is
the authority here. Every attachment is checked, hashed and spooled (``uploads``) before anything is
written.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime

from redressal.cases.commands import Upload
from redressal.cases.models import Case, CollaborationTask, Evidence
from redressal.cases.services.handling import reply_task
from redressal.cases.services.uploads import CheckedFile, checked_upload, stored_name
from redressal.cases.steps import Change, Done, Step
from redressal.core.errors import ValidationFailed
from redressal.org.authz import Actor

MAX_FILES = 5


def reply_task_with_files(task_id: int, *, actor: Actor, reply: str, files: list[Upload]) -> CollaborationTask:
    if len(files) > MAX_FILES:
        raise ValidationFailed("too_many_files", f"at most {MAX_FILES} files", field="attachments")
    with ExitStack() as stack:
        checked = [
            (
                upload,
                stack.enter_context(
                    checked_upload(
                        upload.stream, filename=upload.filename, content_type=upload.content_type, field="attachments"
                    )
                ),
            )
            for upload in files
        ]

        def evidence_steps(task: CollaborationTask) -> list[Step]:
            return [
                Step("add_evidence", _evidence(task, actor, upload, file), actor, check_state=False)
                for upload, file in checked
            ]

        return reply_task(task_id, actor=actor, reply=reply, attachments=evidence_steps)


def _evidence(task: CollaborationTask, actor: Actor, upload: Upload, file: CheckedFile) -> Change:
    def change(case: Case, current: datetime) -> Done:
        ev = Evidence(
            case=case,
            kind=Evidence.Kind.ELECTRONIC,
            filename=upload.filename[:200],
            content_type=upload.content_type,
            size=file.size,
            sha256=file.sha256,
            description=f"task:{task.pk}",
            uploaded_by=actor.staff,
            uploaded_at=current,
        )
        name = stored_name(case.case_number, file.sha256, upload.filename, "attachment")
        ev.file.save(name, file.as_django_file(), save=False)
        ev.save()
        payload = {
            "evidence_id": ev.pk,
            "task_id": task.pk,
            "kind": ev.kind,
            "filename": ev.filename,
            "sha256": file.sha256,
            "size": ev.size,
        }
        return Done("evidence_added", payload)

    return change
