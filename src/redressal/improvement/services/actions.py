"""Improvement actions: added with an owner and a due day counted on the working-day calendar,
completed by their owner with a checked evidence file, or cancelled with a reason."""

from __future__ import annotations

from datetime import date
from typing import IO

from django.db import transaction
from django.utils import timezone

from redressal.cases.services.uploads import checked_upload, stored_name
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.improvement import check_action_open, due_after, next_issue_state
from redressal.improvement.access import readable_issue, require_manage
from redressal.improvement.models import ImprovementAction
from redressal.improvement.services._audit import audit
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.workdays.services import work_calendar


def _staff(username: str, field: str) -> Staff:
    staff = Staff.objects.filter(username=username.strip(), is_active=True).first()
    if staff is None:
        raise ValidationFailed("unknown_staff", f"no active member of staff '{username}'", field=field)
    return staff


def _due(due_in_working_days: int | None, due_date: date | None, today: date) -> date:
    if (due_in_working_days is None) == (due_date is None):
        raise ValidationFailed("required", "give the due date or the working days until it", field="due_date")
    if due_date is not None:
        if due_date < today:
            raise ValidationFailed("date.past", "the due date has passed", field="due_date")
        return due_date
    assert due_in_working_days is not None
    try:
        return due_after(work_calendar(), today, due_in_working_days)
    except DomainError as exc:
        raise ValidationFailed(exc.rule, exc.message, field=exc.field) from None


def add_action(
    issue_id: int,
    *,
    actor: Actor,
    title: str,
    owner: str,
    description: str = "",
    due_in_working_days: int | None = None,
    due_date: date | None = None,
) -> ImprovementAction:
    if not title.strip():
        raise ValidationFailed("required", "a title is required", field="title")
    with transaction.atomic():
        issue = readable_issue(actor, issue_id, lock=True)
        require_manage(actor, issue.unit)
        if issue.state == "closed":
            raise Conflict("issue.closed", "the issue is closed", field="issue_id")
        owner_staff = _staff(owner, "owner")
        moment = now()
        action = ImprovementAction.objects.create(
            issue=issue,
            title=title.strip()[:200],
            description=description.strip(),
            owner=owner_staff,
            due_date=_due(due_in_working_days, due_date, timezone.localdate(moment)),
            created_by=actor.staff,
            created_at=moment,
        )
        state = next_issue_state(issue.state, any_actions=True)
        if state != issue.state:
            issue.state = state
            issue.save(update_fields=["state"])
        audit(
            "improvement.action_added",
            actor,
            "improvement.action",
            action.pk,
            issue=issue.pk,
            title=action.title,
            owner=owner_staff.username,
            due=action.due_date.isoformat(),
        )
        notify_staff(
            [owner_staff.pk],
            "improvement_action",
            f"RC-{issue.pk}: {action.title}",
            key=f"improvement:{action.pk}:assigned",
            payload={"issue": issue.pk, "action": action.pk, "title": action.title, "due": action.due_date.isoformat()},
        )
    return action


def _locked_action(actor: Actor, action_id: int) -> ImprovementAction:
    action = ImprovementAction.objects.select_for_update(of=("self",)).filter(pk=action_id).first()
    if action is None:
        raise NotFound("not_found", f"action {action_id} not found", field="action_id")
    readable_issue(actor, action.issue_id)  # 404/403 as for the issue
    return action


def complete_action(
    action_id: int, *, actor: Actor, note: str, filename: str, content_type: str, stream: IO[bytes]
) -> ImprovementAction:
    """The action's owner, and only they, reports it done with the evidence (type-sniffed, size-limited,
    hashed as case evidence is)."""
    if not note.strip():
        raise ValidationFailed("required", "say what was done", field="note")
    with checked_upload(stream, filename=filename, content_type=content_type, field="evidence") as upload:
        with transaction.atomic():
            action = _locked_action(actor, action_id)
            if action.owner_id != actor.id:
                raise PermissionDenied("action.not_owner", "only the action's owner reports it done")
            try:
                check_action_open(action.state)
            except DomainError as exc:
                raise Conflict(exc.rule, exc.message, field=exc.field) from None
            moment = now()
            action.state, action.finished_by, action.finished_at, action.note = (
                "done",
                actor.staff,
                moment,
                note.strip(),
            )
            action.evidence_name, action.evidence_type = filename[:200], content_type
            action.evidence_size, action.evidence_sha256 = upload.size, upload.sha256
            name = stored_name(f"RC{action.issue_id}-A{action.pk}", upload.sha256, filename, "evidence")
            action.evidence.save(name, upload.as_django_file(), save=False)
            action.save()
            audit(
                "improvement.action_done",
                actor,
                "improvement.action",
                action.pk,
                reason=action.note,
                issue=action.issue_id,
                evidence=action.evidence_name,
                sha256=upload.sha256,
                size=upload.size,
            )
    return action


def cancel_action(action_id: int, *, actor: Actor, reason: str) -> ImprovementAction:
    if not reason.strip():
        raise ValidationFailed("required", "say why the action is cancelled", field="reason")
    with transaction.atomic():
        action = _locked_action(actor, action_id)
        issue = readable_issue(actor, action.issue_id)
        require_manage(actor, issue.unit)
        try:
            check_action_open(action.state)
        except DomainError as exc:
            raise Conflict(exc.rule, exc.message, field=exc.field) from None
        action.state, action.finished_by, action.finished_at, action.note = (
            "cancelled",
            actor.staff,
            now(),
            reason.strip(),
        )
        action.save(update_fields=["state", "finished_by", "finished_at", "note"])
        audit(
            "improvement.action_cancelled", actor, "improvement.action", action.pk, reason=action.note, issue=issue.pk
        )
    return action
