"""Handling a case (SPEC §4, §7, §8): acceptance, assignment, investigation, tasks, escalation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import IO

from django.utils import timezone

from redressal.cases.models import Case, CollaborationTask, Evidence, Note
from redressal.cases.selectors import case_unit_staff
from redressal.cases.services._base import Done, domain_error, perform, resolve_at
from redressal.cases.services.deadlines import profile_of
from redressal.cases.services.review import check_reviewer
from redressal.cases.services.uploads import CheckedFile, checked_upload, stored_name
from redressal.cases.steps import Change, Step
from redressal.core.errors import NotFound, ServiceError, ValidationFailed
from redressal.domain.choices import CONTACT_CHANNELS, CONTACT_OUTCOMES, FINDINGS, MEASURES, NOTE_KINDS
from redressal.domain.deadlines import end_of_day
from redressal.domain.errors import DomainError
from redressal.domain.escalation import check_escalation_target
from redressal.domain.recusal import check_recusal
from redressal.domain.routing import Member, assignment_refusal
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor, actor_for, manager_map
from redressal.org.models import OrgUnit, Staff
from redressal.org.selectors import unit_ref
from redressal.workdays.services import work_calendar


def _recusal(case: Case, candidate: Staff) -> None:
    try:
        managers = manager_map() if case.respondent_staff_id else {}  # no one complained about: no line to read
        check_recusal(int(candidate.pk), case.respondent_staff_id, managers, depth=1)
    except DomainError as exc:
        raise domain_error(exc) from None
    check_reviewer(case, candidate)


def _staff(username: str, fieldname: str) -> Staff:
    try:
        return Staff.objects.select_related("unit").get(username=username, is_active=True)
    except Staff.DoesNotExist:
        raise ValidationFailed("not_found", f"no active staff member '{username}'", field=fieldname) from None


def accept_case(
    case_id: int,
    *,
    actor: Actor,
    contact_channel: str,
    contact_outcome: str,
    explained: str = "",
    no_direct_interest: bool,
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
) -> Case:
    """The handler takes ownership and records the first contact with the complainant."""
    if contact_channel not in CONTACT_CHANNELS:
        raise ValidationFailed(
            "invalid_choice", f"unknown contact channel '{contact_channel}'", field="contact_channel"
        )
    if contact_outcome not in CONTACT_OUTCOMES:
        raise ValidationFailed(
            "invalid_choice", f"unknown contact outcome '{contact_outcome}'", field="contact_outcome"
        )
    if not no_direct_interest:
        raise ValidationFailed(
            "recusal.confirmation", "confirm you have no direct interest in this case", field="no_direct_interest"
        )

    def change(case: Case, current: datetime) -> Done:
        _recusal(case, actor.staff)
        moment = resolve_at(at, current)
        if moment < case.received_at:
            raise ValidationFailed("before_receipt", "acceptance cannot precede receipt", field="at")
        case.assignee = actor.staff
        case.accepted_at = moment
        return Done(
            "accepted",
            {
                "contact": {"channel": contact_channel, "outcome": contact_outcome, "explained": explained},
                "no_direct_interest": True,
                "at": moment,
            },
        )

    return perform(
        case_id,
        actor,
        "accept",
        "case.accept",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


# Why an assignee is refused, in words for the person choosing (the codes are domain.routing's).
_REFUSALS = {
    "role": "is not a case handler here: handlers are given cases (supervisors of reviews)",
    "recusal": "must recuse from this case",
    "unavailable": "is marked away",
    "absent": "is absent today",
}


def _check_eligible(case: Case, target: Staff, roles: set[str], current: datetime) -> None:
    """The same rule the assignment list is drawn with (``assignment_refusal``), so nothing offered is refused."""
    member = Member(
        staff_id=int(target.pk), username=target.username, available=target.available, absent_until=target.absent_until
    )
    today = timezone.localdate(current)
    why = assignment_refusal(member, roles=roles, review=case.kind == Case.Kind.REVIEW, today=today)
    if why:
        raise ServiceError(f"assignee.{why}", f"{target.username} {_REFUSALS[why]}", field="assignee")


def assign_case(
    case_id: int,
    *,
    actor: Actor | None,
    assignee: str,
    reason: str = "",
    expected_version: int | None = None,
    rule: str = "",
) -> Case:
    """``actor`` None is the system (routing), which then names the ``rule`` that chose the assignee."""
    change = assign_change(_staff(assignee, "assignee"), reason=reason, rule=rule)
    return perform(case_id, actor, "assign", "case.assign", change, expected_version=expected_version)


def assign_change(target: Staff, *, reason: str = "", rule: str = "") -> Change:
    """The assignment as a step: by a person through ``assign_case``, by routing in the registration."""

    def change(case: Case, current: datetime) -> Done:
        _recusal(case, target)
        target_actor = actor_for(target)
        if not target_actor.has("case.accept", case.unit):
            raise ValidationFailed(
                "assignee_scope", f"{target.username} cannot handle cases of {case.unit.code}", field="assignee"
            )
        _check_eligible(case, target, target_actor.roles_covering(case.unit), current)
        previous = case.assignee.username if case.assignee else None
        case.assignee = target
        notify_staff([target.pk], "assignment", f"{case.case_number}", case=case)
        payload = {"from": previous, "to": target.username} | ({"rule": rule} if rule else {})
        return Done("assigned", payload, reason=reason)

    return change


def start_investigation(case_id: int, *, actor: Actor, expected_version: int | None = None) -> Case:
    return perform(
        case_id,
        actor,
        "start_investigation",
        "case.investigate",
        lambda case, current: Done("investigation_started", {}),
        expected_version=expected_version,
    )


def add_note(
    case_id: int, *, actor: Actor, text: str, kind: str = "investigation", expected_version: int | None = None
) -> Case:
    if not text.strip():
        raise ValidationFailed("required", "the note is empty", field="text")
    if kind not in NOTE_KINDS:
        raise ValidationFailed("invalid_choice", f"unknown note kind '{kind}'", field="kind")

    def change(case: Case, current: datetime) -> Done:
        note = Note.objects.create(case=case, author=actor.staff, kind=kind, text=text.strip(), created_at=current)
        return Done("note_added", {"note_id": note.pk, "kind": kind, "text": text.strip()})

    return perform(case_id, actor, "add_note", "case.investigate", change, expected_version=expected_version)


def add_evidence(
    case_id: int,
    *,
    actor: Actor,
    kind: str,
    filename: str,
    content_type: str,
    stream: IO[bytes],
    description: str = "",
    expected_version: int | None = None,
) -> Case:
    with checked_upload(stream, filename=filename, content_type=content_type, field="file") as upload:
        change = evidence_change(
            actor, kind=kind, filename=filename, content_type=content_type, upload=upload, description=description
        )
        return perform(case_id, actor, "add_evidence", "case.investigate", change, expected_version=expected_version)


def evidence_change(
    actor: Actor | None, *, kind: str, filename: str, content_type: str, upload: CheckedFile, description: str = ""
) -> Change:
    """A checked file kept as evidence of the case: by ``add_evidence``, or given with the registration.
    ``actor`` None: the customer handed it in through a channel (``receive_case``, the portal)."""
    if kind not in Evidence.Kind.values:
        raise ValidationFailed("invalid_choice", f"unknown evidence kind '{kind}'", field="kind")

    def change(case: Case, current: datetime) -> Done:
        ev = Evidence(
            case=case,
            kind=kind,
            filename=filename[:200],
            content_type=content_type,
            size=upload.size,
            sha256=upload.sha256,
            description=description,
            uploaded_by=actor.staff if actor is not None else None,
            uploaded_at=current,
            from_customer=actor is None,
        )
        name = stored_name(case.case_number, upload.sha256, filename, "evidence")
        ev.file.save(name, upload.as_django_file(), save=False)
        ev.save()
        payload = {
            "evidence_id": ev.pk,
            "kind": kind,
            "filename": filename[:200],
            "sha256": upload.sha256,
            "size": upload.size,
        }
        return Done("evidence_added", payload)

    return change


def open_task(
    case_id: int,
    *,
    actor: Actor,
    department_code: str,
    title: str,
    request: str,
    blocking: bool = False,
    expected_version: int | None = None,
) -> Case:
    """A collaboration task (协办) for another department, due on the working-day calendar."""
    try:
        dept = OrgUnit.objects.get(code=department_code, kind=OrgUnit.Kind.DEPARTMENT)
    except OrgUnit.DoesNotExist:
        raise ValidationFailed("unknown_unit", f"no department '{department_code}'", field="department") from None
    if not title.strip() or not request.strip():
        raise ValidationFailed(
            "required", "a task needs a title and a request", field="title" if not title.strip() else "request"
        )

    def change(case: Case, current: datetime) -> Done:
        profile = profile_of(case)
        local_today = current.astimezone(profile.tz).date()
        due = end_of_day(
            work_calendar().add_working_days(local_today, profile.collaboration_task_working_days), profile.tz
        )
        task = CollaborationTask.objects.create(
            case=case,
            department=dept,
            title=title.strip(),
            request=request.strip(),
            blocking=blocking,
            due_at=due,
            created_by=actor.staff,
            created_at=current,
        )
        recipients = Staff.objects.filter(role_assignments__role="collaborator", role_assignments__unit=dept)
        notify_staff(
            [s.pk for s in recipients],
            "task",
            f"{case.case_number}: {title}",
            case=case,
            payload={"title": title},
        )
        return Done(
            "task_opened",
            {
                "task_id": task.pk,
                "department": dept.code,
                "title": title,
                "blocking": blocking,
                "due_at": due.isoformat(),
            },
        )

    return perform(case_id, actor, "open_task", "case.task", change, expected_version=expected_version)


def reply_task(
    task_id: int, *, actor: Actor, reply: str, attachments: Callable[[CollaborationTask], list[Step]] | None = None
) -> CollaborationTask:
    """A collaborator answers their department's task; nothing else of the case is theirs.
    ``attachments``: the steps adding the reply's files as evidence, in the same command."""
    if not reply.strip():
        raise ValidationFailed("required", "the reply is empty", field="reply")
    try:
        task = CollaborationTask.objects.select_related("department").get(pk=task_id)
    except CollaborationTask.DoesNotExist:
        raise NotFound("not_found", "task not found", field="task_id") from None
    actor.require("task.reply", task.department)

    def change(case: Case, current: datetime) -> Done:
        task.refresh_from_db(fields=["status"])  # under the case's lock: a reply a moment ago shows
        if task.status != "open":
            raise ValidationFailed("task_closed", "this task has already been answered", field="task_id")
        task.reply, task.replied_by, task.replied_at, task.status = reply.strip(), actor.staff, current, "answered"
        task.save()
        if case.assignee_id:
            notify_staff(
                [case.assignee_id],
                "task_reply",
                f"{case.case_number}: {task.title}",
                case=case,
                payload={"title": task.title},
            )
        return Done("task_replied", {"task_id": task.pk, "reply": reply.strip()})

    then = attachments(task) if attachments is not None else []
    # The department's scope is the authority here (checked above), not the case's unit.
    perform(task.case_id, actor, "reply_task", None, change, then=then)
    return task


def set_responsibility(
    case_id: int,
    *,
    actor: Actor,
    finding: str,
    root_cause_code: str = "",
    root_cause_text: str = "",
    responsible_unit: str = "",
    responsible_staff: str = "",
    measure: str = "none",
    expected_version: int | None = None,
) -> Case:
    if finding not in FINDINGS:
        raise ValidationFailed("invalid_choice", f"unknown responsibility finding '{finding}'", field="finding")
    if measure not in MEASURES:
        raise ValidationFailed("invalid_choice", f"unknown accountability measure '{measure}'", field="measure")

    def change(case: Case, current: datetime) -> Done:
        if responsible_staff and not case_unit_staff(case).filter(username=responsible_staff).exists():
            raise ValidationFailed(
                "responsible_staff.scope",
                f"'{responsible_staff}' is not a member of staff of the case's units",
                field="responsible_staff",
            )
        record = {
            "finding": finding,
            "root_cause_code": root_cause_code,
            "root_cause_text": root_cause_text,
            "responsible_unit": responsible_unit,
            "responsible_staff": responsible_staff,
            "measure": measure,
        }
        before = dict(case.responsibility)
        case.responsibility = record
        return Done("responsibility_set", {"before": before, "after": record})

    return perform(case_id, actor, "set_responsibility", "case.investigate", change, expected_version=expected_version)


def escalate_case(
    case_id: int,
    *,
    actor: Actor | None,
    to_unit_code: str,
    reason: str,
    expected_version: int | None = None,
    rule: str = "",
) -> Case:
    """Move the case up or across (SPEC §7); not a state change, and the clock runs on."""
    if not reason.strip():
        raise ValidationFailed("required", "say why the case is escalated", field="reason")
    try:
        target = OrgUnit.objects.get(code=to_unit_code)
    except OrgUnit.DoesNotExist:
        raise ValidationFailed("unknown_unit", f"no org unit '{to_unit_code}'", field="to_unit") from None
    change = escalate_change(target, by_person=actor is not None, reason=reason, rule=rule)
    return perform(case_id, actor, "escalate", "case.escalate", change, expected_version=expected_version)


def escalate_change(target: OrgUnit, *, by_person: bool, reason: str, rule: str = "") -> Change:
    """The escalation as a step: by a person through ``escalate_case``, by a routing rule in the
    registration."""

    def change(case: Case, current: datetime) -> Done:
        previous = case.unit.code
        if target.pk == case.unit_id:
            raise ValidationFailed("same_unit", "the case is already with that unit", field="to_unit")
        # A person escalates up the line or to a department; the system follows routing rules an
        # administrator configured, which may name any unit.
        if by_person:
            check_escalation_target(unit_ref(case.unit), unit_ref(target))
        case.unit = target
        heads = Staff.objects.filter(
            role_assignments__unit=target, role_assignments__role__in=["supervisor", "branch_head"]
        ).distinct()
        notify_staff(
            [s.pk for s in heads],
            "escalation",
            f"{case.case_number}: {reason}",
            case=case,
            payload={"reason": reason},
        )
        payload = {"from_unit": previous, "to_unit": target.code} | ({"rule": rule} if rule else {})
        return Done("escalated", payload, reason=reason)

    return change
