"""The regulatory statistics (SPEC §12, §14): ``GET /reports/regulatory?period=2026Q3`` and the cases
behind each figure. Who may: ``report.regulatory``, scoped to the units it is held in
(``insight.regulatory``, which checks)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from redressal.api.auth import actor_of
from redressal.api.schemas import Error
from redressal.cases.selectors import iso
from redressal.insight.regulatory import as_json, figure_cases, period_of, regulatory_report

router = Router(tags=["reports"])
ERRORS: dict[int, type[Schema]] = {s: Error for s in (400, 401, 403, 422)}
PeriodText = Annotated[str, Field(min_length=1, max_length=7, description="a quarter (2026Q3) or a year (2026)")]
Figure = Literal[
    "total",
    "regulator_forwarded",
    "channel",
    "business",
    "cause",
    "unit",
    "region",
    "decided",
    "on_time",
    "late",
    "extended_l1",
    "extended_l2",
    "paused",
    "reviews",
    "reviews_decided",
    "overturned",
    "unconfirmed",
]
DRILLED = (
    "total",
    "regulator_forwarded",
    "decided",
    "on_time",
    "extended_l1",
    "extended_l2",
    "paused",
    "reviews",
    "reviews_decided",
    "overturned",
    "unconfirmed",
)


class CasesQuery(Schema):
    period: PeriodText
    figure: Figure
    value: Annotated[str, Field(max_length=50)] = ""


class FigureCaseOut(Schema):
    id: int
    case_number: str
    unit: str
    received_at: str


def _cases_url(period: str, figure: str, value: str = "") -> str:
    query = f"period={period}&figure={figure}"
    return (
        f"/api/v1/reports/regulatory/cases?{query}&value={value}"
        if value
        else f"/api/v1/reports/regulatory/cases?{query}"
    )


@router.get("/reports/regulatory", response={200: dict[str, Any], **ERRORS})
def regulatory(request: HttpRequest, period: PeriodText) -> Any:
    """The period's figures as of its end (a closed period reproduces exactly): counts and shares by
    channel (A), business (B) and cause (C) with the previous period's, the handling rates, the
    intensity ratios, by unit and region; ``cases`` links each figure to the cases behind it."""
    p = period_of(period)
    report = as_json(regulatory_report(actor_of(request), p))
    label = report["period"]
    report["cases"] = {name: _cases_url(label, name) for name in DRILLED}
    for key, figure in (("by_channel", "channel"), ("by_business", "business"), ("by_cause", "cause")):
        for row in report[key]:
            row["cases"] = _cases_url(label, figure, row["code"])
    for row in report["by_unit"]:
        row["cases"] = _cases_url(label, "unit", row["code"])
    return report


@router.get("/reports/regulatory/cases", response={200: list[FigureCaseOut], **ERRORS})
def regulatory_cases(request: HttpRequest, query: Query[CasesQuery]) -> Any:
    """The cases behind one figure of the report (``value``: the code, unit code or region of a row)."""
    p = period_of(query.period)
    cases = figure_cases(actor_of(request), p, query.figure, query.value)[:5000]
    return [
        {"id": c.pk, "case_number": c.case_number, "unit": c.unit.code, "received_at": iso(c.received_at) or ""}
        for c in cases
    ]
