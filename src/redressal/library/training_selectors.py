"""Reading training: the courses a person manages or teaches, a course with its sessions and rosters,
and a member of staff's training record — seen by themselves, by those holding ``training.read`` over
their unit (their supervisor, branch head, compliance, senior managers), and by nobody else."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from redressal.core.errors import NotFound, PermissionDenied
from redressal.library.models import Course, Enrolment
from redressal.library.services.training import MANAGE
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.org.selectors import scope_unit_ids

READ = "training.read"


def may_manage_any(actor: Actor) -> bool:
    return actor.has(MANAGE)


def courses(actor: Actor) -> QuerySet[Course]:
    """The courses of the actor's units (as manager or reader), and those they teach a session of."""
    units = set(scope_unit_ids(actor, MANAGE)) | set(scope_unit_ids(actor, READ))
    return (
        Course.objects.filter(Q(unit_id__in=units) | Q(sessions__trainer_id=actor.id))
        .distinct()
        .select_related("unit")
        .order_by("-created_at", "-pk")
    )


def course(actor: Actor, course_id: int) -> Course:
    found = courses(actor).filter(pk=course_id).first()
    if found is None:
        raise NotFound("not_found", "no such course")
    return found


def may_see_record(actor: Actor, staff: Staff) -> bool:
    if int(staff.pk) == actor.id:
        return True
    return staff.unit is not None and actor.has(READ, staff.unit)


@dataclass(frozen=True)
class RecordRow:
    enrolment: Enrolment

    @property
    def passed(self) -> bool | None:
        score = self.enrolment.score
        return None if score is None else score >= self.enrolment.session.course.pass_mark


def record(actor: Actor, staff_id: int) -> tuple[Staff, list[RecordRow]]:
    """A member of staff's training: every session they were enrolled in, with attendance and score."""
    staff = Staff.objects.select_related("unit").filter(pk=staff_id).first()
    if staff is None:
        raise NotFound("not_found", "no such staff member")
    if not may_see_record(actor, staff):
        raise PermissionDenied("permission_denied", f"missing permission '{READ}' for {staff.username}")
    rows = (
        Enrolment.objects.filter(staff=staff)
        .select_related("session__course", "session__trainer")
        .order_by("-session__starts_at", "-pk")
    )
    return staff, [RecordRow(e) for e in rows]


def staff_in_scope(actor: Actor) -> QuerySet[Staff]:
    """Whom the actor may enrol: the active staff of the units where they hold ``training.manage``."""
    return Staff.objects.filter(unit_id__in=scope_unit_ids(actor, MANAGE), is_active=True).order_by("username")
