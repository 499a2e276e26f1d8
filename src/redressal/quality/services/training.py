"""A QA inspection's finding as the cause of a training enrolment (decision 0023).

A manager enrolling a handler for what an inspection found cites it as ``QA-<month>-<id>`` (its
``reference``): it must be scored (or appealed, or final), about that very handler, and readable by the
manager (the handler's manager, an inspector or an appeal decider over the case's unit). QA keeps no
follow-through state of its own: the inspection page shows the retraining from the enrolment.
"""

from __future__ import annotations

import re

from redressal.core.errors import Conflict, NotFound, ValidationFailed
from redressal.core.training_causes import Cause, Trained
from redressal.org.authz import Actor
from redressal.quality.models import QaInspection
from redressal.quality.selectors import may_read_inspection

KIND = "qa_finding"
REFERENCE = re.compile(r"^\s*QA-(\d{4}-\d{2})-(\d{1,18})\s*$", re.IGNORECASE)


class InspectionCause:
    def resolve(self, actor: Actor, reference: str) -> Cause:
        match = REFERENCE.match(reference or "")
        if match is None:
            raise ValidationFailed(
                "training.reason_ref", "a QA finding is cited as QA-<month>-<number>", field="reason_ref"
            )
        inspection = (
            QaInspection.objects.select_related("case__unit", "handler", "sample")
            .filter(pk=int(match.group(2)), sample__month=match.group(1))
            .first()
        )
        if inspection is None or not may_read_inspection(actor, inspection):
            raise NotFound("not_found", f"no QA inspection {reference.strip()}", field="reason_ref")
        if inspection.status == QaInspection.Status.PENDING:
            raise Conflict("training.not_scored", "the inspection has no score yet", field="reason_ref")
        return Cause(
            kind=KIND,
            id=int(inspection.pk),
            staff_id=int(inspection.handler_id),
            reference=inspection.reference,
            label=f"{inspection.reference} {inspection.total}",
        )

    def trained(self, cause_id: int, *, actor: Actor, outcome: Trained) -> None:
        return None
