"""Training that follows from an accountability measure or a QA finding (decision 0023): the enrolment
cites the record, its own app resolves and checks it, the enrolment keeps a foreign key to it, and a
passed training carries out the accountability measure. With the refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.improvement import selectors as improvement_selectors
from redressal.improvement.models import AccountabilityMeasure
from redressal.improvement.services import MeasureInput, carry_out_measure, record_accountability
from redressal.library import training_selectors as ts
from redressal.library.services.training import add_session, create_course, enrol, record_result
from redressal.quality import services as qa
from redressal.quality.models import QaInspection
from tests.conftest import local
from tests.improvement.conftest import case_with_cause
from tests.quality.conftest import APRIL, close_case
from tests.quality.test_services import FULL, MARCH

pytestmark = pytest.mark.django_db
START = local(2024, 10, 15, 14, 0)


def measures(bank, *kinds: str, staff: str = "teller1") -> list[AccountabilityMeasure]:
    case = case_with_cause(bank, cause="C01")
    svc.set_responsibility(
        case.pk,
        actor=bank.actor("handler"),
        finding="bank",
        root_cause_code="C01",
        root_cause_text="柜员服务态度欠佳",
        responsible_unit="BJ01",
        responsible_staff=staff,
        measure="training",
    )
    acc = record_accountability(
        case.pk,
        actor=bank.actor("sup"),
        staff=staff,
        finding="对老年客户不耐烦",
        measures=[MeasureInput(kind=k, description="老年客户服务规范再培训", due_in_working_days=10) for k in kinds],
    )
    return list(acc.measures.order_by("pk"))


def session(bank, pass_mark: int = 70, starts=START):
    course = create_course(actor=bank.actor("sup"), topic="老年客户服务规范", unit=bank.branch, pass_mark=pass_mark)
    return add_session(
        course.pk,
        actor=bank.actor("sup"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        trainer=bank.people["handler2"],
        place="北京分行三楼培训室",
    )


def test_a_passed_retraining_carries_out_the_measure_it_follows_from(bank):
    (measure,) = measures(bank, "training")
    enrolment = enrol(
        session(bank).pk,
        actor=bank.actor("sup"),
        staff=bank.people["teller"],
        reason_kind="accountability",
        reason_ref=f" am-{measure.pk} ",
    )
    assert enrolment.measure_id == measure.pk and enrolment.inspection_id is None
    assert enrolment.reason_ref == f"AM-{measure.pk}"  # as people cite it
    assert enrolment.reason_text == "老年客户服务规范再培训"  # the measure's own words when none are given
    # The trainer (a handler, no accountability.manage) records the result; the measure follows.
    record_result(enrolment.pk, actor=bank.actor("handler2"), attendance="present", score=88)
    measure.refresh_from_db()
    assert measure.state == "carried_out" and measure.done_by == bank.people["handler2"]
    assert measure.training_ref == f"TR-{enrolment.pk}" and "88" in measure.evidence_note
    done = AuditEvent.objects.get(type="accountability.measure_done")
    assert done.payload["via"] == "training" and done.payload["training_ref"] == f"TR-{enrolment.pk}"
    # Both sides show it: the training record names the measure, the accountability record the training.
    _staff, rows = ts.record(bank.actor("teller"), bank.people["teller"].pk)
    assert rows[0].enrolment.measure_id == measure.pk
    assert [e.score for e in measure.enrolments.all()] == [88]
    found = improvement_selectors.accountability_for_staff(bank.actor("sup"), bank.people["teller"])
    assert found is not None and found[0].measures.get().enrolments.get().pk == enrolment.pk


def test_a_failed_or_missed_session_leaves_the_measure_open_until_one_is_passed(bank):
    (measure,) = measures(bank, "training")
    first = enrol(
        session(bank).pk,
        actor=bank.actor("sup"),
        staff=bank.people["teller"],
        reason_kind="accountability",
        reason_ref=f"AM-{measure.pk}",
    )
    record_result(first.pk, actor=bank.actor("handler2"), attendance="present", score=62)
    measure.refresh_from_db()
    assert measure.state == "ordered"
    second = enrol(
        session(bank, starts=START + timedelta(days=7)).pk,
        actor=bank.actor("sup"),
        staff=bank.people["teller"],
        reason_kind="accountability",
        reason_ref=f"AM-{measure.pk}",
    )
    record_result(second.pk, actor=bank.actor("handler2"), attendance="absent")
    measure.refresh_from_db()
    assert measure.state == "ordered"
    record_result(second.pk, actor=bank.actor("handler2"), attendance="present", score=75)
    measure.refresh_from_db()
    assert measure.state == "carried_out" and measure.training_ref == f"TR-{second.pk}"
    # Once settled, no further enrolment may cite it.
    with pytest.raises(Conflict) as settled:
        enrol(
            session(bank, starts=START + timedelta(days=14)).pk,
            actor=bank.actor("sup"),
            staff=bank.people["teller"],
            reason_kind="accountability",
            reason_ref=f"AM-{measure.pk}",
        )
    assert settled.value.code == "training.measure_settled"


def _refused(bank, exc_type, code, *, staff="teller", ref="", kind="accountability", by="sup"):
    with pytest.raises(exc_type) as exc:
        enrol(session(bank).pk, actor=bank.actor(by), staff=bank.people[staff], reason_kind=kind, reason_ref=ref)
    assert exc.value.code == code, exc.value.message
    return exc.value


def test_enrolment_for_a_measure_is_refused_when_it_does_not_fit(bank):
    training, warning = measures(bank, "training", "warning")
    assert _refused(bank, ValidationFailed, "training.reason_ref", ref="TS20240909BJ0001").field == "reason_ref"
    _refused(bank, NotFound, "not_found", ref="AM-999999")
    _refused(bank, ValidationFailed, "training.not_training_measure", ref=f"AM-{warning.pk}")
    # The measure is on the teller, not on this handler.
    assert _refused(
        bank, ValidationFailed, "training.reason_staff", staff="handler", ref=f"AM-{training.pk}"
    ).field == ("staff")
    carry_out_measure(training.pk, actor=bank.actor("sup"), evidence_note="已另行培训")
    _refused(bank, Conflict, "training.measure_settled", ref=f"AM-{training.pk}")


def test_who_may_assign_retraining_for_a_measure(bank):
    (measure,) = measures(bank, "training")
    # A handler has no training.manage; compliance at head office may manage and see the record.
    _refused(bank, PermissionDenied, "permission_denied", by="handler", ref=f"AM-{measure.pk}")
    enrolment = enrol(
        session(bank).pk,
        actor=bank.actor("sup"),
        staff=bank.people["teller"],
        reason_kind="accountability",
        reason_ref=f"AM-{measure.pk}",
    )
    assert enrolment.measure_id == measure.pk
    # Nobody records the result of their own retraining, so nobody carries out their own measure.
    with pytest.raises(PermissionDenied):
        record_result(enrolment.pk, actor=bank.actor("teller"), attendance="present", score=99)


def _scored_inspection(bank) -> QaInspection:
    close_case(bank, "handler", day=3)
    with time_machine.travel(APRIL, tick=False):
        sample, _ = qa.draw_sample(MARCH, actor=bank.actor("qa"))
    inspection = QaInspection.objects.get(sample=sample)
    return inspection


def test_retraining_for_a_qa_finding_links_the_inspection(bank):
    inspection = _scored_inspection(bank)
    reference = inspection.reference
    # Not scored yet: nothing to retrain for.
    _refused(bank, Conflict, "training.not_scored", staff="handler", kind="qa_finding", ref=reference)
    with time_machine.travel(APRIL + timedelta(hours=2), tick=False):
        qa.submit_score(inspection.pk, actor=bank.actor("qa"), scores=FULL, comments={})
    _refused(bank, ValidationFailed, "training.reason_staff", staff="teller", kind="qa_finding", ref=reference)
    _refused(bank, ValidationFailed, "training.reason_ref", staff="handler", kind="qa_finding", ref="QA-1")
    _refused(bank, NotFound, "not_found", staff="handler", kind="qa_finding", ref=f"QA-2026-02-{inspection.pk}")
    enrolment = enrol(
        session(bank).pk,
        actor=bank.actor("sup"),  # the handler's manager reads their inspections
        staff=bank.people["handler"],
        reason_kind="qa_finding",
        reason_ref=reference.lower(),
    )
    assert enrolment.inspection_id == inspection.pk and enrolment.reason_ref == reference
    record_result(enrolment.pk, actor=bank.actor("handler2"), attendance="present", score=90)
    assert [(e.attendance, e.score) for e in inspection.enrolments.all()] == [("present", 90)]


def test_the_inspection_page_shows_the_retraining_it_led_to(client, bank):
    from tests.web.test_case_page import login

    inspection = _scored_inspection(bank)
    with time_machine.travel(APRIL + timedelta(hours=2), tick=False):
        qa.submit_score(inspection.pk, actor=bank.actor("qa"), scores=FULL, comments={})
    enrolment = enrol(
        session(bank).pk,
        actor=bank.actor("sup"),
        staff=bank.people["handler"],
        reason_kind="qa_finding",
        reason_ref=inspection.reference,
    )
    record_result(enrolment.pk, actor=bank.actor("handler2"), attendance="present", score=64)
    login(client, "handler1")
    page = client.get(reverse("web:qa_inspection", args=[inspection.pk])).content.decode()
    assert 'data-testid="qa-retraining"' in page and 'data-testid="retraining-score">64<' in page
    assert "不及格" in page  # below the course's pass mark of 70
