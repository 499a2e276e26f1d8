"""Training and assessment (培训考核, issue 15 item 8): courses, sessions, enrolment, attendance, scores.

Who may: ``training.manage`` over a course's unit to change the course and its sessions, and over a
member of staff's unit to enrol them (a supervisor enrols their branch, compliance anyone); a
session's trainer, or a manager of its course, records attendance and scores — never on their own
enrolment. An enrolment may say why (a QA finding, an accountability measure, or another reason): the finding or
measure, cited by its reference (``QA-2026-05-12``, ``AM-34``), is resolved and checked by its own app
through ``core.training_causes`` and kept as a foreign key; a passed training carries out the
accountability measure it follows from (decision 0023).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction

from redressal.core import training_causes
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.library.models import Course, CourseSession, Enrolment, LibraryEntry
from redressal.library.services._audit import audit
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, Staff

MANAGE = "training.manage"
MAX_SCORE = 100


def _course(course_id: int, actor: Actor) -> Course:
    course = Course.objects.select_related("unit").filter(pk=course_id).first()
    if course is None:
        raise NotFound("not_found", "no such course")
    actor.require(MANAGE, course.unit)
    return course


def _published_entries(entry_ids: Iterable[int]) -> list[LibraryEntry]:
    ids = sorted(set(entry_ids))
    found = list(LibraryEntry.objects.filter(pk__in=ids, current_version__isnull=False, withdrawn_at=None))
    if len(found) != len(ids):
        raise ValidationFailed("not_found", "a linked case is not in the library", field="entries")
    return found


def _check_course_fields(topic: str, pass_mark: int) -> str:
    topic = topic.strip()
    if not topic:
        raise ValidationFailed("required", "a topic is required", field="topic")
    if len(topic) > 120:
        raise ValidationFailed("too_long", "the topic is at most 120 characters", field="topic")
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 0 <= pass_mark <= MAX_SCORE:
        raise ValidationFailed("training.score_range", "the pass mark lies between 0 and 100", field="pass_mark")
    return topic


def create_course(
    *,
    actor: Actor,
    topic: str,
    unit: OrgUnit,
    description: str = "",
    pass_mark: int = 60,
    entry_ids: Iterable[int] = (),
) -> Course:
    actor.require(MANAGE, unit)
    topic = _check_course_fields(topic, pass_mark)
    entries = _published_entries(entry_ids)
    with transaction.atomic():
        course = Course.objects.create(
            topic=topic,
            description=description.strip(),
            unit=unit,
            pass_mark=pass_mark,
            created_by=actor.staff,
            created_at=now(),
        )
        course.entries.set(entries)
        audit(
            "training.course_created",
            actor,
            "training.course",
            course.pk,
            topic=topic,
            unit=unit.code,
            pass_mark=pass_mark,
            entries=[e.pk for e in entries],
        )
    return course


def link_entries(course_id: int, *, actor: Actor, entry_ids: Iterable[int]) -> Course:
    """Set the library entries the course teaches from."""
    with transaction.atomic():
        course = _course(course_id, actor)
        entries = _published_entries(entry_ids)
        before = sorted(course.entries.values_list("pk", flat=True))
        course.entries.set(entries)
        audit(
            "training.course_entries_set",
            actor,
            "training.course",
            course.pk,
            before=before,
            after=sorted(e.pk for e in entries),
        )
    return course


def add_session(
    course_id: int, *, actor: Actor, starts_at: datetime, ends_at: datetime, trainer: Staff, place: str
) -> CourseSession:
    """A session of the course: when (stored as an instant, shown in Beijing time), who teaches, where."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValidationFailed("naive_time", "times need a time zone", field="starts_at")
    if ends_at <= starts_at:
        raise ValidationFailed("training.ends_before_start", "the session ends after it starts", field="ends_at")
    if not place.strip():
        raise ValidationFailed("required", "say where the session is held", field="place")
    if not trainer.is_active:
        raise ValidationFailed("inactive", f"{trainer.username} is not active", field="trainer")
    with transaction.atomic():
        course = _course(course_id, actor)
        session = CourseSession.objects.create(
            course=course,
            starts_at=starts_at,
            ends_at=ends_at,
            trainer=trainer,
            place=place.strip()[:120],
            created_by=actor.staff,
        )
        audit(
            "training.session_added",
            actor,
            "training.session",
            session.pk,
            course=course.pk,
            starts_at=starts_at.isoformat(),
            trainer=trainer.username,
            place=session.place,
        )
    return session


def _session(session_id: int) -> CourseSession:
    session = CourseSession.objects.select_related("course__unit", "trainer").filter(pk=session_id).first()
    if session is None:
        raise NotFound("not_found", "no such session")
    return session


def enrol(
    session_id: int,
    *,
    actor: Actor,
    staff: Staff,
    reason_kind: str = Enrolment.ReasonKind.OTHER,
    reason_ref: str = "",
    reason_text: str = "",
) -> Enrolment:
    """Enrol a member of staff in a session, with the reason (e.g. an accountability measure: "retrain
    on service to elderly customers")."""
    if reason_kind not in Enrolment.ReasonKind.values:
        raise ValidationFailed("invalid_choice", f"unknown reason kind '{reason_kind}'", field="reason_kind")
    if reason_kind != Enrolment.ReasonKind.OTHER and not reason_ref.strip():
        raise ValidationFailed("required", "name the finding or measure", field="reason_ref")
    if len(reason_ref) > 64:
        raise ValidationFailed("too_long", "the reference is at most 64 characters", field="reason_ref")
    session = _session(session_id)
    actor.require(MANAGE, session.course.unit)
    if staff.unit is None or not actor.has(MANAGE, staff.unit):
        raise PermissionDenied("training.out_of_scope", f"{staff.username} is outside your units")
    if not staff.is_active:
        raise ValidationFailed("inactive", f"{staff.username} is not active", field="staff")
    cause = _cause(actor, reason_kind, reason_ref, staff)
    links: dict[str, int] = {}
    if cause is not None:
        reason_ref = cause.reference
        reason_text = reason_text.strip() or cause.label
        links = {"measure_id" if reason_kind == Enrolment.ReasonKind.ACCOUNTABILITY else "inspection_id": cause.id}
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                session=session,
                staff=staff,
                reason_kind=reason_kind,
                reason_ref=reason_ref.strip(),
                reason_text=reason_text.strip(),
                enrolled_by=actor.staff,
                enrolled_at=now(),
                **links,
            )
            audit(
                "training.enrolled",
                actor,
                "training.enrolment",
                enrolment.pk,
                reason=enrolment.reason_text,
                session=session.pk,
                staff=staff.username,
                reason_kind=reason_kind,
                reason_ref=enrolment.reason_ref,
            )
    except IntegrityError:
        raise Conflict("training.enrolled", f"{staff.username} is already enrolled in this session") from None
    return enrolment


def _cause(actor: Actor, kind: str, reference: str, staff: Staff) -> training_causes.Cause | None:
    """The QA finding or accountability measure the enrolment follows from, resolved and checked by its
    own app (it exists, the manager may see it, it still calls for training); it must be about ``staff``."""
    if kind == Enrolment.ReasonKind.OTHER:
        return None
    cause = training_causes.source(kind).resolve(actor, reference)
    if cause.staff_id != int(staff.pk):
        raise ValidationFailed(
            "training.reason_staff", f"{cause.reference} is about someone other than {staff.username}", field="staff"
        )
    return cause


def may_record(actor: Actor, session: CourseSession) -> bool:
    return int(session.trainer_id) == actor.id or actor.has(MANAGE, session.course.unit)


def record_result(
    enrolment_id: int, *, actor: Actor, attendance: str, score: int | None = None, reason: str = ""
) -> Enrolment:
    """Record whether the person came and their exam score (0–100; only for one who attended)."""
    if attendance not in Enrolment.Attendance.values:
        raise ValidationFailed("invalid_choice", f"unknown attendance '{attendance}'", field="attendance")
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
            raise ValidationFailed("training.score_range", "a score lies between 0 and 100", field="score")
        if attendance != Enrolment.Attendance.PRESENT:
            raise ValidationFailed("training.score_absent", "only one who attended has a score", field="score")
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("session__course__unit", "staff")
            .filter(pk=enrolment_id)
            .first()
        )
        if enrolment is None:
            raise NotFound("not_found", "no such enrolment")
        if int(enrolment.staff_id) == actor.id:
            raise PermissionDenied("training.own_record", "nobody records their own attendance or score")
        if not may_record(actor, enrolment.session):
            raise PermissionDenied(
                "permission_denied", "only the session's trainer or a manager of its course records results"
            )
        before = {"attendance": enrolment.attendance, "score": enrolment.score}
        enrolment.attendance, enrolment.score = attendance, score
        enrolment.recorded_by, enrolment.recorded_at = actor.staff, now()
        enrolment.save()
        audit(
            "training.result_recorded",
            actor,
            "training.enrolment",
            enrolment.pk,
            reason=reason.strip(),
            staff=enrolment.staff.username,
            before=before,
            after={"attendance": attendance, "score": score},
        )
        cause_id = enrolment.measure_id or enrolment.inspection_id
        if cause_id is not None:
            # The cause's own app follows through (an accountability measure is carried out once passed).
            course = enrolment.session.course
            training_causes.source(enrolment.reason_kind).trained(
                int(cause_id),
                actor=actor,
                outcome=training_causes.Trained(
                    enrolment_reference=enrolment_reference(int(enrolment.pk)),
                    course=course.topic,
                    attended=attendance == Enrolment.Attendance.PRESENT,
                    score=score,
                    passed=score is not None and score >= course.pass_mark,
                ),
            )
    return enrolment


def enrolment_reference(enrolment_id: int) -> str:
    return f"TR-{enrolment_id}"
