"""Accountability (问责): a finding names staff of the case's units, its measures are followed through,
and it is visible to the person, their line and compliance — not to peers."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.core.errors import Conflict, PermissionDenied, ValidationFailed
from redressal.improvement import selectors
from redressal.improvement.models import AccountabilityMeasure
from redressal.improvement.services import MeasureInput, cancel_measure, carry_out_measure, record_accountability
from tests.conftest import local
from tests.improvement.conftest import case_with_cause

TRAINING = MeasureInput(kind="training", description="老年客户服务规范再培训", due_in_working_days=10)


def _found(bank, case, staff="teller1"):
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


def _record(bank, case, by="sup", staff="teller1", measures=(TRAINING,)):
    return record_accountability(
        case.pk, actor=bank.actor(by), staff=staff, finding="对老年客户不耐烦", measures=list(measures)
    )


def test_the_case_finding_names_staff_of_the_case_units_only(bank):
    case = case_with_cause(bank, cause="C01")
    with pytest.raises(ValidationFailed) as exc:
        _found(bank, case, staff="王柜员")  # free text is not a member of staff
    assert exc.value.field == "responsible_staff"
    with pytest.raises(ValidationFailed):
        _found(bank, case, staff="compliance1")  # staff, but of head office: not the case's units
    _found(bank, case)
    case.refresh_from_db()
    assert case.responsibility["responsible_staff"] == "teller1"


def test_a_finding_with_measures_followed_through_and_audited(bank):
    case = case_with_cause(bank, cause="C01")
    with pytest.raises(Conflict):  # the case's responsibility finding comes first
        _record(bank, case)
    _found(bank, case)
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        acc = _record(bank, case, measures=(TRAINING, MeasureInput(kind="warning", due_date=date(2024, 9, 30))))
    measures = {m.kind: m for m in acc.measures.all()}
    assert measures["training"].due_date == date(2024, 10, 10)  # 10 working days: 9-29 worked, 10-1…7 not
    assert measures["training"].state == "ordered" and measures["training"].training_ref == ""
    done = carry_out_measure(
        measures["training"].pk, actor=bank.actor("sup"), evidence_note="已参加 10 月培训班", training_ref="TR-2024-10"
    )
    assert done.state == "carried_out" and done.done_by == bank.people["sup"] and done.training_ref == "TR-2024-10"
    cancel_measure(measures["warning"].pk, actor=bank.actor("head"), reason="复核后改为培训")
    with pytest.raises(Conflict):  # settled measures stay settled
        carry_out_measure(measures["warning"].pk, actor=bank.actor("sup"), evidence_note="x")
    types = list(
        AuditEvent.objects.filter(object_type__in=["improvement.accountability", "improvement.measure"]).values_list(
            "type", "actor__username"
        )
    )
    assert types == [
        ("accountability.recorded", "supervisor1"),
        ("accountability.measure_done", "supervisor1"),
        ("accountability.measure_cancelled", "branchhead1"),
    ]


def test_refusals(bank):
    case = case_with_cause(bank, cause="C01")
    _found(bank, case)
    with pytest.raises(PermissionDenied):  # a handler holds no accountability.manage
        _record(bank, case, by="handler")
    with pytest.raises(ValidationFailed):  # not of the case's units
        _record(bank, case, staff="collab1")
    with pytest.raises(PermissionDenied) as exc:  # nobody holds themselves to account
        _record(bank, case, staff="supervisor1")
    assert exc.value.code == "accountability.own_record"
    with pytest.raises(ValidationFailed):
        _record(bank, case, measures=(MeasureInput(kind="firing", due_in_working_days=3),))
    acc = _record(bank, case)
    with pytest.raises(Conflict):
        _record(bank, case)
    measure = acc.measures.get()
    with pytest.raises(PermissionDenied):  # the person cannot mark their own measure carried out
        carry_out_measure(measure.pk, actor=bank.actor("teller"), evidence_note="我已培训")
    with pytest.raises(PermissionDenied):  # a peer handler neither
        carry_out_measure(measure.pk, actor=bank.actor("handler2"), evidence_note="x")
    assert AccountabilityMeasure.objects.get(pk=measure.pk).state == "ordered"


def test_visible_to_the_person_their_line_and_compliance_not_to_peers(bank):
    case = case_with_cause(bank, cause="C01")
    _found(bank, case)
    _record(bank, case)
    teller = bank.people["teller"]
    for who in ("teller", "sup", "head", "senior", "compliance"):
        rows = selectors.accountability_for_staff(bank.actor(who), teller)
        assert rows is not None and len(rows) == 1, who
    for who in ("handler", "handler2", "agent", "collab"):
        assert selectors.accountability_for_staff(bank.actor(who), teller) is None, who
        assert selectors.accountability_for_case(bank.actor(who), case) == [], who
    assert len(selectors.accountability_for_case(bank.actor("compliance"), case)) == 1
