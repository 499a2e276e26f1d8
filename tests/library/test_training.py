"""Training through its services: courses, sessions, enrolment with a reason, attendance and scores,
the training record — and the refusals (outside scope, not the trainer, one's own score)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from redressal.audit.models import AuditEvent
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.library import training_selectors as ts
from redressal.library.models import Enrolment
from redressal.library.services.training import add_session, create_course, enrol, link_entries, record_result
from tests.branches import add_shanghai
from tests.conftest import local

pytestmark = pytest.mark.django_db
START = local(2024, 10, 15, 14, 0)


def _course(bank, by: str = "sup", unit=None):
    return create_course(actor=bank.actor(by), topic="老年客户服务规范", unit=unit or bank.branch, pass_mark=70)


def _session(bank, course, trainer: str = "handler2", by: str = "sup"):
    return add_session(
        course.pk,
        actor=bank.actor(by),
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        trainer=bank.people[trainer],
        place="北京分行三楼培训室",
    )


def test_a_course_from_enrolment_to_a_passed_exam(bank):
    from tests.library.test_training_causes import measures

    (measure,) = measures(bank, "training")
    course = _course(bank)
    session = _session(bank, course)
    enrolment = enrol(
        session.pk,
        actor=bank.actor("sup"),
        staff=bank.people["teller"],
        reason_kind="accountability",
        reason_ref=f"AM-{measure.pk}",
        reason_text="retrain on service to elderly customers",
    )
    # The trainer (a handler, no training.manage) records the result of the session they taught.
    record_result(enrolment.pk, actor=bank.actor("handler2"), attendance="present", score=82)
    staff, rows = ts.record(bank.actor("teller"), bank.people["teller"].pk)
    assert staff == bank.people["teller"]
    assert [(r.enrolment.score, r.passed) for r in rows] == [(82, True)]
    assert rows[0].enrolment.reason_kind == "accountability"
    types = list(AuditEvent.objects.filter(type__startswith="training.").values_list("type", flat=True))
    assert AuditEvent.objects.filter(type="accountability.measure_done").count() == 1  # passed: carried out
    assert types == [
        "training.course_created",
        "training.session_added",
        "training.enrolled",
        "training.result_recorded",
    ]
    recorded = AuditEvent.objects.get(type="training.result_recorded")
    assert recorded.payload["before"] == {"attendance": "pending", "score": None}
    assert recorded.payload["after"] == {"attendance": "present", "score": 82}


def test_below_the_pass_mark_fails(bank):
    course = _course(bank)
    enrolment = enrol(_session(bank, course).pk, actor=bank.actor("sup"), staff=bank.people["handler"])
    record_result(enrolment.pk, actor=bank.actor("sup"), attendance="present", score=69)
    _staff, rows = ts.record(bank.actor("sup"), bank.people["handler"].pk)
    assert rows[0].passed is False


def test_managing_a_course_needs_training_manage_over_its_unit(bank):
    with pytest.raises(PermissionDenied):
        _course(bank, by="handler")
    with pytest.raises(PermissionDenied):
        _course(bank, by="sup", unit=bank.ho)  # the branch supervisor cannot run a head-office course
    course = _course(bank)
    add_shanghai(bank)
    with pytest.raises(PermissionDenied):
        _session(bank, course, by="shsup")


def test_enrolling_staff_outside_ones_units_is_refused(bank):
    add_shanghai(bank)
    course = _course(bank)
    session = _session(bank, course)
    with pytest.raises(PermissionDenied) as exc:
        enrol(session.pk, actor=bank.actor("sup"), staff=bank.people["shhandler"])
    assert exc.value.code == "training.out_of_scope"
    # Compliance at head office reaches every branch.
    enrol(session.pk, actor=bank.actor("compliance"), staff=bank.people["shhandler"])
    with pytest.raises(Conflict):
        enrol(session.pk, actor=bank.actor("compliance"), staff=bank.people["shhandler"])


def test_an_enrolment_for_a_finding_names_it(bank):
    session = _session(bank, _course(bank))
    with pytest.raises(ValidationFailed) as exc:
        enrol(session.pk, actor=bank.actor("sup"), staff=bank.people["handler"], reason_kind="qa_finding")
    assert exc.value.field == "reason_ref"
    with pytest.raises(ValidationFailed) as exc:
        enrol(session.pk, actor=bank.actor("sup"), staff=bank.people["handler"], reason_kind="praise")
    assert exc.value.field == "reason_kind"
    assert not Enrolment.objects.exists()


def test_scores_are_recorded_by_the_trainer_or_a_manager_never_by_oneself(bank):
    course = _course(bank)
    session = _session(bank, course, trainer="handler2")
    other = _session(bank, course, trainer="agent")
    mine = enrol(session.pk, actor=bank.actor("sup"), staff=bank.people["handler"])
    # handler2 trains ``session``, not ``other``: a score for ``other`` is refused.
    theirs = enrol(other.pk, actor=bank.actor("sup"), staff=bank.people["teller"])
    with pytest.raises(PermissionDenied) as exc:
        record_result(theirs.pk, actor=bank.actor("handler2"), attendance="present", score=90)
    assert exc.value.code == "permission_denied"
    # A member of staff editing their own score, even one who manages the course.
    with pytest.raises(PermissionDenied) as exc:
        record_result(mine.pk, actor=bank.actor("handler"), attendance="present", score=100)
    assert exc.value.code == "training.own_record"
    own = enrol(session.pk, actor=bank.actor("compliance"), staff=bank.people["sup"])
    with pytest.raises(PermissionDenied) as exc:
        record_result(own.pk, actor=bank.actor("sup"), attendance="present", score=100)
    assert exc.value.code == "training.own_record"
    assert Enrolment.objects.filter(score__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("attendance", "score", "field"),
    [
        ("present", 101, "score"),
        ("present", -1, "score"),
        ("absent", 80, "score"),
        ("late", None, "attendance"),
    ],
)
def test_bad_results_name_the_field(bank, attendance, score, field):
    enrolment = enrol(_session(bank, _course(bank)).pk, actor=bank.actor("sup"), staff=bank.people["handler"])
    with pytest.raises(ValidationFailed) as exc:
        record_result(enrolment.pk, actor=bank.actor("sup"), attendance=attendance, score=score)
    assert exc.value.field == field


def test_a_session_must_end_after_it_starts(bank):
    course = _course(bank)
    with pytest.raises(ValidationFailed) as exc:
        add_session(
            course.pk,
            actor=bank.actor("sup"),
            starts_at=START,
            ends_at=START,
            trainer=bank.people["sup"],
            place="培训室",
        )
    assert exc.value.field == "ends_at"


def test_a_record_is_seen_by_oneself_ones_supervisors_and_compliance_only(bank):
    add_shanghai(bank)
    teller = bank.people["teller"]
    for who in ("teller", "sup", "head", "compliance", "senior"):
        ts.record(bank.actor(who), teller.pk)
    for who in ("handler", "agent", "qa", "shsup"):
        with pytest.raises(PermissionDenied):
            ts.record(bank.actor(who), teller.pk)
    with pytest.raises(NotFound):
        ts.record(bank.actor("sup"), 10**9)


def test_courses_link_only_published_library_entries(bank):
    course = _course(bank)
    with pytest.raises(ValidationFailed) as exc:
        link_entries(course.pk, actor=bank.actor("sup"), entry_ids=[12345])
    assert exc.value.field == "entries"


def test_the_course_list_is_the_actors_units_and_sessions(bank):
    add_shanghai(bank)
    course = _course(bank)
    _session(bank, course, trainer="handler2")
    assert list(ts.courses(bank.actor("sup"))) == [course]
    assert list(ts.courses(bank.actor("handler2"))) == [course]  # they teach it
    assert list(ts.courses(bank.actor("shsup"))) == []
    with pytest.raises(NotFound):
        ts.course(bank.actor("handler"), course.pk)
