"""Scoring a sampled case (质检评分), the blind second score that calibrates it, and the feedback to
the handler. The inspector holds ``qa.inspect`` over the case's unit and took no part in handling it."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.quality.inspection import check_inspector, check_second_score
from redressal.domain.quality.rubric import weighted_total
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor, actor_for
from redressal.org.models import Staff
from redressal.quality import facts
from redressal.quality.models import QaInspection, QaScore
from redressal.quality.services._audit import audit, refused
from redressal.quality.services.config import rubric_of

PERMISSION = "qa.inspect"
COMMENT_MAX = 500
REMARK_MAX = 2000


def locked(inspection_id: int) -> QaInspection:
    inspection = (
        QaInspection.objects.select_for_update(of=("self",))
        .select_related("case", "case__unit", "sample", "sample__config", "handler")
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None:
        raise NotFound("not_found", "inspection not found", field="inspection")
    return inspection


def check_may_inspect(actor: Actor, inspection: QaInspection) -> None:
    """qa.inspect over the case's unit, and no part in its handling."""
    if not actor.has(PERMISSION, inspection.case.unit):
        raise PermissionDenied(
            "permission_denied", f"missing permission '{PERMISSION}' for {inspection.case.unit.code}"
        )
    try:
        check_inspector(actor.id, facts.handling_people(inspection.case) | {int(inspection.handler_id)})
    except DomainError as exc:
        raise refused(exc) from None


def clean_text(comments: Mapping[str, str], codes: tuple[str, ...], remark: str) -> dict[str, str]:
    out = {}
    for code, text in comments.items():
        if code not in codes:
            raise ValidationFailed("qa.unknown_item", f"not an item of this rubric: {code}", field="comments")
        if len(text) > COMMENT_MAX:
            raise ValidationFailed("too_long", f"a comment has at most {COMMENT_MAX} characters", field=code)
        if text.strip():
            out[code] = text.strip()
    if len(remark) > REMARK_MAX:
        raise ValidationFailed("too_long", f"the remark has at most {REMARK_MAX} characters", field="remark")
    return out


def new_score(
    inspection: QaInspection, actor: Actor, kind: str, scores: Mapping[str, int], comments: dict[str, str], remark: str
) -> QaScore:
    config = inspection.sample.config
    try:
        total = weighted_total(rubric_of(config), scores)
    except DomainError as exc:
        raise refused(exc) from None
    return QaScore.objects.create(
        inspection=inspection,
        kind=kind,
        inspector=actor.staff,
        rubric_version=config.version,
        scores=dict(scores),
        comments=comments,
        remark=remark.strip(),
        total=total,
        submitted_at=now(),
    )


def submit_score(
    inspection_id: int, *, actor: Actor, scores: Mapping[str, int], comments: Mapping[str, str], remark: str = ""
) -> QaScore:
    """The inspector's scores; or, once they are in, the second score of the calibrator asked for."""
    with transaction.atomic():
        inspection = locked(inspection_id)
        check_may_inspect(actor, inspection)
        config = inspection.sample.config
        text = clean_text(comments, rubric_of(config).codes, remark)
        scorers = set(inspection.scores.exclude(kind=QaScore.Kind.APPEAL).values_list("inspector_id", flat=True))
        if not scorers:
            kind = QaScore.Kind.PRIMARY
        else:
            try:
                check_second_score(actor.id, {int(s) for s in scorers})
            except DomainError as exc:
                raise refused(exc) from None
            if inspection.calibrator_id != actor.id:
                raise PermissionDenied(
                    "qa.not_calibrator",
                    "the case is scored; a second score is given by the calibrator asked for",
                    field="inspector",
                )
            kind = QaScore.Kind.CALIBRATION
        score = new_score(inspection, actor, kind, scores, text, remark)
        if kind == QaScore.Kind.PRIMARY:
            inspection.status = QaInspection.Status.SCORED
            inspection.inspector = actor.staff
            inspection.total = score.total
            inspection.scored_at = score.submitted_at
            inspection.save(update_fields=["status", "inspector", "total", "scored_at"])
            notify_staff(
                [inspection.handler_id],
                "qa_result",
                f"{inspection.case.case_number}: QA {score.total}",
                case=inspection.case,
                payload={"inspection": inspection.pk, "total": str(score.total), "month": inspection.sample.month},
            )
        audit(
            "qa.scored",
            actor,
            "quality.inspection",
            inspection.pk,
            kind=kind,
            case=inspection.case.case_number,
            total=str(score.total),
            scores=score.scores,
            rubric_version=config.version,
        )
    return score


def request_calibration(inspection_id: int, *, actor: Actor, calibrator: str) -> QaInspection:
    """Ask a second inspector to score the scored case blind; the page then shows the agreement."""
    with transaction.atomic():
        inspection = locked(inspection_id)
        if not actor.has(PERMISSION, inspection.case.unit):
            raise PermissionDenied("permission_denied", f"missing permission '{PERMISSION}'")
        if inspection.status == QaInspection.Status.PENDING:
            raise ValidationFailed("qa.not_scored", "the inspection has not been scored yet", field="inspection")
        if inspection.calibrator_id is not None:
            raise ValidationFailed("qa.calibrated", "a calibrator is already asked for", field="calibrator")
        staff = Staff.objects.filter(username=calibrator, is_active=True).first()
        if staff is None:
            raise ValidationFailed("not_found", f"no active staff member '{calibrator}'", field="calibrator")
        second = actor_for(staff)
        if int(staff.pk) == inspection.inspector_id:
            raise ValidationFailed(
                "qa.already_scored", "the calibrator is someone other than the inspector", field="calibrator"
            )
        try:
            check_may_inspect(second, inspection)
        except (PermissionDenied, ValidationFailed) as exc:
            raise ValidationFailed(exc.code, exc.message, field="calibrator") from None
        inspection.calibrator = staff
        inspection.save(update_fields=["calibrator"])
        notify_staff(
            [staff.pk],
            "qa_calibration",
            f"{inspection.case.case_number}: QA calibration",
            case=inspection.case,
            payload={"inspection": inspection.pk},
        )
        audit("qa.calibration_requested", actor, "quality.inspection", inspection.pk, calibrator=staff.username)
    return inspection
