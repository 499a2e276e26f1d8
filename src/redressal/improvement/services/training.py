"""An accountability measure of kind training as the cause of a training enrolment (decision 0023).

A manager enrolling someone for a measure names it ``AM-<id>``: it must be a training measure still
ordered, on that very person, and the manager must be entitled to see that person's accountability
record. When the trainer (or a manager of the course) records that the person attended and passed, the
measure is carried out — by that recording, audited as ``accountability.measure_done`` with the
training's reference — without a second step on the accountability page.
"""

from __future__ import annotations

import re

from django.db import transaction

from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.core.training_causes import Cause, Trained
from redressal.improvement.access import may_see_accountability
from redressal.improvement.models import AccountabilityMeasure
from redressal.improvement.services._audit import audit
from redressal.org.authz import Actor

KIND = "accountability"
REFERENCE = re.compile(r"^\s*AM-(\d{1,18})\s*$", re.IGNORECASE)


def measure_reference(measure_id: int) -> str:
    return f"AM-{measure_id}"


class MeasureCause:
    def resolve(self, actor: Actor, reference: str) -> Cause:
        match = REFERENCE.match(reference or "")
        if match is None:
            raise ValidationFailed(
                "training.reason_ref", "an accountability measure is cited as AM-<number>", field="reason_ref"
            )
        measure = (
            AccountabilityMeasure.objects.select_related("accountability__staff__unit")
            .filter(pk=int(match.group(1)))
            .first()
        )
        if measure is None or not may_see_accountability(actor, measure.accountability.staff):
            raise NotFound("not_found", f"no accountability measure {reference.strip()}", field="reason_ref")
        if measure.kind != "training":
            raise ValidationFailed(
                "training.not_training_measure", "the measure ordered is not a training", field="reason_ref"
            )
        if measure.state != "ordered":
            raise Conflict(
                "training.measure_settled", "the measure is already carried out or withdrawn", field="reason_ref"
            )
        label = measure.description or measure.get_kind_display()
        return Cause(
            kind=KIND,
            id=int(measure.pk),
            staff_id=int(measure.accountability.staff_id),
            reference=measure_reference(int(measure.pk)),
            label=str(label),
        )

    def trained(self, cause_id: int, *, actor: Actor, outcome: Trained) -> None:
        if not (outcome.attended and outcome.passed):
            return
        with transaction.atomic():
            measure = AccountabilityMeasure.objects.select_for_update().filter(pk=cause_id).first()
            if measure is None or measure.state != "ordered":
                return  # withdrawn or settled meanwhile: the training stands on its own
            if measure.accountability.staff_id == actor.id:
                raise PermissionDenied("accountability.own_record", "nobody settles accountability on themselves")
            measure.state, measure.done_by, measure.done_at = "carried_out", actor.staff, now()
            measure.evidence_note = f"{outcome.course}：出勤，考核成绩 {outcome.score} 分，合格"
            measure.training_ref = outcome.enrolment_reference
            measure.save(update_fields=["state", "done_by", "done_at", "evidence_note", "training_ref"])
            audit(
                "accountability.measure_done",
                actor,
                "improvement.measure",
                measure.pk,
                reason=measure.evidence_note,
                accountability=measure.accountability_id,
                kind=measure.kind,
                training_ref=measure.training_ref,
                via="training",
            )
