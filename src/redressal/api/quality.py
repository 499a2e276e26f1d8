"""QA inspection (质检) and the service scorecards (考核), SPEC §12: the same services and selectors as
the workbench's pages; the scopes and refusals are theirs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from redressal.api.auth import actor_of
from redressal.api.schemas import Error
from redressal.cases.selectors import iso
from redressal.core.errors import PermissionDenied
from redressal.domain.quality.scorecard import DIMENSIONS
from redressal.quality import selectors
from redressal.quality import services as qa
from redressal.quality.scorecards import board
from redressal.quality.services.sampling import parse_month

router = Router(tags=["quality"])
ERRORS: dict[int, type[Schema]] = {s: Error for s in (400, 401, 403, 404, 409, 422)}


class ScorecardOut(Schema):
    staff: str
    name: str
    unit: str
    cases: int
    satisfaction: float | None
    efficiency: float | None
    accuracy: float | None
    professionalism: float | None
    total: float | None
    stars: int
    formula_version: int


class InspectionOut(Schema):
    id: int
    reference: str
    case_number: str
    handler: str
    reasons: list[str]
    status: str
    total: float | None
    inspector: str | None
    scored_at: str | None


class ScoreIn(Schema):
    scores: dict[str, int]
    comments: dict[str, str] = {}
    remark: str = ""


class ScoreOut(Schema):
    inspection: int
    kind: str
    total: float


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@router.get("/quality/scorecards", response={200: list[ScorecardOut], **ERRORS})
def scorecards(request: HttpRequest, month: str) -> Any:
    """The month's scorecards the caller may read: their own, their team's, their units' staff."""
    b = board(actor_of(request), parse_month(month))
    return [
        {
            "staff": r.staff.username,
            "name": str(r.staff),
            "unit": r.staff.unit.code if r.staff.unit else "",
            "cases": r.card.cases,
            **{d: _num(r.card.dimensions[d]) for d in DIMENSIONS},
            "total": _num(r.card.total),
            "stars": r.card.stars,
            "formula_version": r.card.version,
        }
        for r in b.rows
    ]


@router.get("/quality/inspections", response={200: list[InspectionOut], **ERRORS})
def inspections(request: HttpRequest, month: str) -> Any:
    """The month's sampled cases in the units where the caller inspects (qa.inspect)."""
    actor = actor_of(request)
    if not actor.has("qa.inspect"):
        raise PermissionDenied("permission_denied", "missing permission 'qa.inspect'")
    rows = selectors.month_inspections(actor, str(parse_month(month)))
    return [
        {
            "id": i.pk,
            "reference": i.reference,
            "case_number": i.case.case_number,
            "handler": i.handler.username,
            "reasons": i.reasons,
            "status": i.status,
            "total": _num(i.total),
            "inspector": i.inspector.username if i.inspector else None,
            "scored_at": iso(i.scored_at),
        }
        for i in rows
    ]


@router.post("/quality/inspections/{inspection_id}/scores", response={201: ScoreOut, **ERRORS})
def score(request: HttpRequest, inspection_id: int, payload: ScoreIn) -> Any:
    """Score a sampled case on the rubric (or give the blind calibration score when asked to)."""
    s = qa.submit_score(
        inspection_id, actor=actor_of(request), scores=payload.scores, comments=payload.comments, remark=payload.remark
    )
    return Status(201, {"inspection": inspection_id, "kind": s.kind, "total": float(s.total)})
