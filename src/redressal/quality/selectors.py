"""What a person may read of the QA records: the inspector's month, the handler's own results, one
inspection as its viewer may see it (a calibrator sees no score until theirs is in), the agreement."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from redressal.cases.models import Case
from redressal.core.errors import NotFound
from redressal.domain.quality.rubric import Agreement, Rubric, agreement, pooled_agreement
from redressal.org.authz import Actor
from redressal.org.selectors import scope_unit_ids
from redressal.quality.models import QaAppeal, QaConfig, QaInspection, QaSample, QaScore
from redressal.quality.services.config import rubric_of

INSPECT = "qa.inspect"
DECIDE = "qa.decide_appeal"


def month_inspections(actor: Actor, month: str) -> QuerySet[QaInspection]:
    """The month's sampled cases in the units where the actor inspects (none without qa.inspect)."""
    units = scope_unit_ids(actor, INSPECT)
    return (
        QaInspection.objects.filter(sample__month=month, case__unit_id__in=units)
        .select_related("case", "case__unit", "handler", "inspector", "calibrator", "sample")
        .order_by("status", "case__case_number")
    )


def samples() -> list[str]:
    return list(QaSample.objects.order_by("-month").values_list("month", flat=True)[:24])


def my_results(actor: Actor) -> QuerySet[QaInspection]:
    """The handler's scored inspections, newest month first."""
    return (
        QaInspection.objects.filter(handler_id=actor.id)
        .exclude(status=QaInspection.Status.PENDING)
        .select_related("case", "sample", "inspector")
        .order_by("-sample__month", "-scored_at")
    )


def appeals_to_decide(actor: Actor) -> QuerySet[QaInspection]:
    units = scope_unit_ids(actor, DECIDE)
    return (
        QaInspection.objects.filter(status=QaInspection.Status.APPEALED, case__unit_id__in=units)
        .exclude(inspector_id=actor.id)
        .exclude(handler_id=actor.id)
        .select_related("case", "handler", "sample")
    )


@dataclass
class InspectionView:
    inspection: QaInspection
    rubric: Rubric
    scores: list[QaScore]  # those the viewer may see
    appeal: QaAppeal | None
    is_handler: bool
    is_inspector: bool  # holds qa.inspect over the case
    may_score: bool
    may_calibrate: bool  # the calibrator asked for, not yet scored
    may_request_calibration: bool
    may_appeal: bool
    may_decide: bool
    agreement: Agreement | None = None
    hidden: int = 0  # scores kept from the viewer until theirs is in
    extra: dict[str, object] = field(default_factory=dict)


def _may_read(actor: Actor, inspection: QaInspection) -> bool:
    unit = inspection.case.unit
    return (
        inspection.handler_id == actor.id
        or actor.has(INSPECT, unit)
        or actor.has(DECIDE, unit)
        or (inspection.handler.manager_id == actor.id)
    )


def may_read_inspection(actor: Actor, inspection: QaInspection) -> bool:
    """The handler, their manager, inspectors and appeal deciders over the case's unit."""
    return _may_read(actor, inspection)


def inspection_view(actor: Actor, inspection_id: int) -> InspectionView:
    inspection = (
        QaInspection.objects.select_related(
            "case", "case__unit", "handler", "inspector", "calibrator", "sample", "sample__config"
        )
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None or not _may_read(actor, inspection):
        raise NotFound("not_found", "inspection not found")
    rubric = rubric_of(inspection.sample.config)
    all_scores = list(inspection.scores.select_related("inspector"))
    by_kind = {s.kind: s for s in all_scores}
    appeal = QaAppeal.objects.filter(inspection=inspection).select_related("appellant", "decided_by").first()
    unit = inspection.case.unit
    is_handler = inspection.handler_id == actor.id
    is_inspector = actor.has(INSPECT, unit)
    calibrating = inspection.calibrator_id == actor.id and QaScore.Kind.CALIBRATION not in by_kind
    if calibrating:
        visible: list[QaScore] = []  # blind: the calibrator scores without seeing the first score
    elif is_inspector or actor.has(DECIDE, unit):
        visible = all_scores
    else:  # the handler and their manager: the score in force and the appeal's revision
        visible = [s for s in all_scores if s.kind != QaScore.Kind.CALIBRATION]
    pair = None
    if not calibrating and QaScore.Kind.PRIMARY in by_kind and QaScore.Kind.CALIBRATION in by_kind:
        pair = agreement(rubric, by_kind[QaScore.Kind.PRIMARY].scores, by_kind[QaScore.Kind.CALIBRATION].scores)
    scored = inspection.status != QaInspection.Status.PENDING
    return InspectionView(
        inspection=inspection,
        rubric=rubric,
        scores=visible,
        appeal=appeal,
        is_handler=is_handler,
        is_inspector=is_inspector,
        may_score=is_inspector and not scored and not is_handler,
        may_calibrate=calibrating,
        may_request_calibration=(
            is_inspector and scored and inspection.calibrator_id is None and inspection.inspector_id == actor.id
        ),
        may_appeal=is_handler and scored and appeal is None,
        may_decide=(
            appeal is not None
            and appeal.status == QaAppeal.Status.PENDING
            and actor.has(DECIDE, unit)
            and actor.id not in (inspection.inspector_id, inspection.handler_id)
        ),
        agreement=pair if (is_inspector or actor.has(DECIDE, unit)) else None,
        hidden=len(all_scores) - len(visible) if calibrating else 0,
    )


def case_inspections(actor: Actor, case: Case) -> list[QaInspection]:
    """The case page's QA section: the inspections of the case the viewer may read."""
    rows = QaInspection.objects.filter(case=case).select_related("case__unit", "handler", "sample", "inspector")
    return [i for i in rows if _may_read(actor, i)]


def month_agreement(actor: Actor, month: str) -> Agreement | None:
    """Pooled over the month's calibrated inspections in the actor's scope."""
    pairs = []
    for inspection in month_inspections(actor, month).filter(scores__kind=QaScore.Kind.CALIBRATION).distinct():
        by_kind = {s.kind: s for s in inspection.scores.all()}
        if QaScore.Kind.PRIMARY in by_kind:
            pairs.append(
                agreement(
                    rubric_of(inspection.sample.config),
                    by_kind[QaScore.Kind.PRIMARY].scores,
                    by_kind[QaScore.Kind.CALIBRATION].scores,
                )
            )
    return pooled_agreement(pairs)


def sample_of(month: str) -> QaSample | None:
    return QaSample.objects.filter(month=month).select_related("config", "drawn_by").first()


def config_history() -> list[QaConfig]:
    return list(QaConfig.objects.select_related("created_by").order_by("-version")[:20])
