"""Accountability (问责): a finding naming a member of staff of the case's units, the measures ordered
on them (training, warning, performance deduction, criticism, other), each with a due day, and their
follow-through (ordered → carried out, or withdrawn with a reason).

The case's own responsibility finding (``set_responsibility``, through the case's command path) comes
first: a finding is recorded here only on a case found to be the bank's (or a shared) fault. Nobody
records, carries out or withdraws a measure on themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from redressal.cases.models import Case
from redressal.cases.selectors import can_read, case_unit_staff
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.improvement import ACCOUNTABILITY_MEASURES, ACCOUNTABLE_FINDINGS, check_measure_ordered
from redressal.improvement.access import ACCOUNTABILITY_MANAGE, may_manage_accountability
from redressal.improvement.models import Accountability, AccountabilityMeasure
from redressal.improvement.services._audit import audit
from redressal.improvement.services.actions import _due
from redressal.org.authz import Actor

MAX_MEASURES = 5


@dataclass(frozen=True)
class MeasureInput:
    kind: str
    description: str = ""
    due_in_working_days: int | None = None
    due_date: date | None = None
    training_ref: str = ""


def _require(actor: Actor, case: Case) -> None:
    if not (can_read(actor, case) and may_manage_accountability(actor, case.unit)):
        raise PermissionDenied(
            "permission_denied", f"missing permission '{ACCOUNTABILITY_MANAGE}' for {case.unit.code}"
        )


def _not_self(actor: Actor, staff_id: int) -> None:
    if actor.id == staff_id:
        raise PermissionDenied("accountability.own_record", "nobody records or settles accountability on themselves")


def _new_measure(acc: Accountability, m: MeasureInput, actor: Actor, moment_date: date) -> AccountabilityMeasure:
    if m.kind not in ACCOUNTABILITY_MEASURES:
        raise ValidationFailed("invalid_choice", f"unknown measure '{m.kind}'", field="kind")
    return AccountabilityMeasure(
        accountability=acc,
        kind=m.kind,
        description=m.description.strip(),
        due_date=_due(m.due_in_working_days, m.due_date, moment_date),
        ordered_by=actor.staff,
        ordered_at=now(),
        training_ref=m.training_ref.strip()[:100],
    )


def record_accountability(
    case_id: int, *, actor: Actor, staff: str, finding: str, measures: list[MeasureInput]
) -> Accountability:
    """Names ``staff`` (a username of the case's units) as accountable, with the measures ordered."""
    case = Case.objects.select_related("unit", "respondent_unit").filter(pk=case_id).first()
    if case is None:
        raise NotFound("not_found", f"case {case_id} not found", field="case_id")
    _require(actor, case)
    if (case.responsibility or {}).get("finding") not in ACCOUNTABLE_FINDINGS:
        raise Conflict(
            "accountability.no_finding",
            "record the case's responsibility finding (the bank's or shared) first",
            field="case_id",
        )
    person = case_unit_staff(case).filter(username=staff.strip()).first()
    if person is None:
        raise ValidationFailed("responsible_staff.scope", f"'{staff}' is not of the case's units", field="staff")
    _not_self(actor, int(person.pk))
    if not finding.strip():
        raise ValidationFailed("required", "say what the person is held to account for", field="finding")
    if not measures:
        raise ValidationFailed("required", "order at least one measure", field="measures")
    if len(measures) > MAX_MEASURES:
        raise ValidationFailed("too_many", f"at most {MAX_MEASURES} measures", field="measures")
    moment = now()
    with transaction.atomic():
        if Accountability.objects.filter(case=case, staff=person).exists():
            raise Conflict("accountability.exists", "this person is already named on this case", field="staff")
        acc = Accountability.objects.create(
            case=case, staff=person, finding=finding.strip(), created_by=actor.staff, created_at=moment
        )
        rows = [_new_measure(acc, m, actor, timezone.localdate(moment)) for m in measures]
        AccountabilityMeasure.objects.bulk_create(rows)
        audit(
            "accountability.recorded",
            actor,
            "improvement.accountability",
            acc.pk,
            reason=acc.finding,
            case=case.case_number,
            staff=person.username,
            measures=[{"kind": r.kind, "due": r.due_date.isoformat()} for r in rows],
        )
    return acc


def _accountability(actor: Actor, accountability_id: int) -> Accountability:
    acc = Accountability.objects.select_related("case__unit", "staff").filter(pk=accountability_id).first()
    if acc is None:
        raise NotFound("not_found", f"finding {accountability_id} not found", field="accountability_id")
    _require(actor, acc.case)
    _not_self(actor, int(acc.staff_id))
    return acc


def add_measure(accountability_id: int, *, actor: Actor, measure: MeasureInput) -> AccountabilityMeasure:
    with transaction.atomic():
        acc = _accountability(actor, accountability_id)
        if acc.measures.count() >= MAX_MEASURES:
            raise ValidationFailed("too_many", f"at most {MAX_MEASURES} measures", field="measures")
        row = _new_measure(acc, measure, actor, timezone.localdate(now()))
        row.save()
        audit(
            "accountability.measure_ordered",
            actor,
            "improvement.measure",
            row.pk,
            reason=row.description,
            accountability=acc.pk,
            kind=row.kind,
            due=row.due_date.isoformat(),
        )
    return row


def _locked_measure(actor: Actor, measure_id: int) -> AccountabilityMeasure:
    row = AccountabilityMeasure.objects.select_for_update(of=("self",)).filter(pk=measure_id).first()
    if row is None:
        raise NotFound("not_found", f"measure {measure_id} not found", field="measure_id")
    _accountability(actor, row.accountability_id)
    try:
        check_measure_ordered(row.state)
    except DomainError as exc:
        raise Conflict(exc.rule, exc.message, field=exc.field) from None
    return row


def carry_out_measure(
    measure_id: int, *, actor: Actor, evidence_note: str, training_ref: str = ""
) -> AccountabilityMeasure:
    """Recorded as carried out by someone who may manage the finding, never by the person it is on."""
    if not evidence_note.strip():
        raise ValidationFailed("required", "say how it was carried out", field="evidence_note")
    with transaction.atomic():
        row = _locked_measure(actor, measure_id)
        row.state, row.done_by, row.done_at, row.evidence_note = (
            "carried_out",
            actor.staff,
            now(),
            evidence_note.strip(),
        )
        if training_ref.strip():
            row.training_ref = training_ref.strip()[:100]
        row.save(update_fields=["state", "done_by", "done_at", "evidence_note", "training_ref"])
        audit(
            "accountability.measure_done",
            actor,
            "improvement.measure",
            row.pk,
            reason=row.evidence_note,
            accountability=row.accountability_id,
            kind=row.kind,
            training_ref=row.training_ref,
        )
    return row


def cancel_measure(measure_id: int, *, actor: Actor, reason: str) -> AccountabilityMeasure:
    if not reason.strip():
        raise ValidationFailed("required", "say why the measure is withdrawn", field="reason")
    with transaction.atomic():
        row = _locked_measure(actor, measure_id)
        row.state, row.done_by, row.done_at, row.evidence_note = "cancelled", actor.staff, now(), reason.strip()
        row.save(update_fields=["state", "done_by", "done_at", "evidence_note"])
        audit(
            "accountability.measure_cancelled",
            actor,
            "improvement.measure",
            row.pk,
            reason=row.evidence_note,
            accountability=row.accountability_id,
            kind=row.kind,
        )
    return row
