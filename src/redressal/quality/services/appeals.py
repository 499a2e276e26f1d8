"""The handler's appeal against an inspection (质检申诉), once, and its decision by someone other
than the inspector (a second inspector or a supervisor holding ``qa.decide_appeal``)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from redressal.core.clock import now
from redressal.core.errors import PermissionDenied, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.quality.inspection import check_appeal, check_appeal_decider
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.quality.models import QaAppeal, QaInspection, QaScore
from redressal.quality.services._audit import audit, refused
from redressal.quality.services.config import rubric_of
from redressal.quality.services.inspection import clean_text, locked, new_score

DECIDE = "qa.decide_appeal"
REASON_MAX = 2000


def file_appeal(inspection_id: int, *, actor: Actor, reason: str) -> QaAppeal:
    if not reason.strip():
        raise ValidationFailed("required", "the appeal states its reason", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed("too_long", f"the reason has at most {REASON_MAX} characters", field="reason")
    with transaction.atomic():
        inspection = locked(inspection_id)
        try:
            check_appeal(
                actor.id,
                int(inspection.handler_id),
                already_appealed=QaAppeal.objects.filter(inspection=inspection).exists(),
                scored_at=inspection.scored_at,
                at=now(),
            )
        except DomainError as exc:
            raise refused(exc) from None
        appeal = QaAppeal.objects.create(
            inspection=inspection, appellant=actor.staff, reason=reason.strip(), filed_at=now()
        )
        inspection.status = QaInspection.Status.APPEALED
        inspection.save(update_fields=["status"])
        # Who may decide: the handler's manager and the inspectors, but not the inspector appealed against.
        deciders = set(
            Staff.objects.filter(role_assignments__role="qa_inspector", is_active=True).values_list("pk", flat=True)
        )
        if inspection.handler.manager_id:
            deciders.add(inspection.handler.manager_id)
        deciders -= {inspection.inspector_id, inspection.handler_id}
        notify_staff(
            sorted(int(d) for d in deciders if d),
            "qa_appeal",
            f"{inspection.case.case_number}: QA appeal",
            case=inspection.case,
            payload={"inspection": inspection.pk},
        )
        audit(
            "qa.appealed",
            actor,
            "quality.inspection",
            inspection.pk,
            reason=appeal.reason,
            case=inspection.case.case_number,
        )
    return appeal


def decide_appeal(
    inspection_id: int,
    *,
    actor: Actor,
    revise: bool,
    reason: str,
    scores: Mapping[str, int] | None = None,
    comments: Mapping[str, str] | None = None,
) -> QaAppeal:
    """Uphold the scores, or revise them (the revised scores then stand as the inspection's total)."""
    if not reason.strip():
        raise ValidationFailed("required", "the decision states its reason", field="reason")
    with transaction.atomic():
        inspection = locked(inspection_id)
        if not actor.has(DECIDE, inspection.case.unit):
            raise PermissionDenied(
                "permission_denied", f"missing permission '{DECIDE}' for {inspection.case.unit.code}"
            )
        appeal = QaAppeal.objects.select_for_update().filter(inspection=inspection).first()
        if appeal is None or appeal.status != QaAppeal.Status.PENDING:
            raise ValidationFailed("qa.no_pending_appeal", "there is no appeal awaiting a decision", field="inspection")
        try:
            check_appeal_decider(
                actor.id, inspector_ids={int(inspection.inspector_id or 0)}, handler_id=int(inspection.handler_id)
            )
        except DomainError as exc:
            raise refused(exc) from None
        if revise:
            if not scores:
                raise ValidationFailed("required", "a revision gives the revised scores", field="scores")
            text = clean_text(comments or {}, rubric_of(inspection.sample.config).codes, "")
            revised = new_score(inspection, actor, QaScore.Kind.APPEAL, scores, text, reason)
            inspection.total = revised.total
        appeal.status = QaAppeal.Status.REVISED if revise else QaAppeal.Status.UPHELD
        appeal.decided_by, appeal.decided_at, appeal.decision_reason = actor.staff, now(), reason.strip()
        appeal.save()
        inspection.status = QaInspection.Status.FINAL
        inspection.save(update_fields=["status", "total"])
        notify_staff(
            [inspection.handler_id],
            "qa_appeal_decided",
            f"{inspection.case.case_number}: QA appeal {appeal.status}",
            case=inspection.case,
            payload={"inspection": inspection.pk, "result": appeal.status, "total": str(inspection.total)},
        )
        audit(
            "qa.appeal_decided",
            actor,
            "quality.inspection",
            inspection.pk,
            reason=appeal.decision_reason,
            result=appeal.status,
            total=str(inspection.total),
        )
    return appeal
