"""QA inspection (质检) and the service scorecards (考核), SPEC §12.

The inspector's month (sample drawn by a button, idempotent), one inspection with the forms its
viewer may use (score, blind calibration, appeal, decision), the handler's own results, the settings
of the sampling rule and rubric, and the scorecards with their XLSX for the appraisal round. Every
check is the service's or the selector's; the views parse and render.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from redressal.core.clock import now
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.domain.quality.months import Month
from redressal.domain.quality.sampling import SamplingRule
from redressal.org.models import Staff
from redressal.quality import facts, selectors
from redressal.quality import services as qa
from redressal.quality.scorecards import board
from redressal.quality.services.sampling import parse_month
from redressal.web.exports import Column, xlsx_export
from redressal.web.forms.quality import (
    AppealForm,
    CalibrationForm,
    ConfigForm,
    DecideForm,
    ScoreForm,
    rubric_text,
    scores_of,
)
from redressal.web.quality_labels import DIMENSIONS, item_label, reasons_label
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page


def _month(request: HttpRequest) -> Month:
    text = request.GET.get("month") or request.POST.get("month") or ""
    return parse_month(text) if text else Month.of(now(), facts.tz()).previous()


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'))}%"


def _months_back(n: int = 13) -> list[str]:
    month = Month.of(now(), facts.tz())
    out = []
    for _ in range(n):
        month = month.previous()
        out.append(str(month))
    return out


@login_required
@require_GET
def inspections(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not actor.has("qa.inspect"):
        return error_page(request, PermissionDenied("permission_denied", "missing permission 'qa.inspect'"))
    try:
        month = _month(request)
    except ServiceError as exc:
        return error_page(request, exc)
    rows = list(selectors.month_inspections(actor, str(month)))
    pair = selectors.month_agreement(actor, str(month))
    return render(
        request,
        "web/quality/inspections.html",
        {
            "month": str(month),
            "months": _months_back(),
            "drawn": selectors.sample_of(str(month)),
            "rows": [{"i": i, "reasons": reasons_label(i.reasons)} for i in rows],
            "agreement": pair,
            "within_pct": _percent(pair.within_one) if pair else None,
            "appeals": list(selectors.appeals_to_decide(actor)),
        },
    )


@login_required
@require_POST
def draw(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        month = _month(request)
        _sample, added = qa.draw_sample(month, actor=actor)
    except ServiceError as exc:
        return error_page(request, exc, back=reverse("web:qa_inspections"))
    messages.success(request, gettext("%(month)s 抽样完成，新增 %(n)s 件") % {"month": month, "n": added})
    return redirect(f"{reverse('web:qa_inspections')}?month={month}")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    return render(
        request,
        "web/quality/mine.html",
        {"rows": list(selectors.my_results(actor)[:100]), "appeals": list(selectors.appeals_to_decide(actor))},
    )


def _calibrators(view: selectors.InspectionView, actor_id: int) -> list[tuple[str, str]]:
    people = Staff.objects.filter(role_assignments__role="qa_inspector", is_active=True).exclude(
        pk__in=[actor_id, view.inspection.handler_id]
    )
    return [(s.username, str(s)) for s in people.distinct().order_by("username")]


def _page(request: HttpRequest, inspection_id: int, status: int = 200, **forms: Any) -> HttpResponse:
    actor = current_actor(request)
    try:
        view = selectors.inspection_view(actor, inspection_id)
    except ServiceError as exc:
        return error_page(request, exc)
    rubric = view.rubric
    context: dict[str, Any] = {
        "v": view,
        "i": view.inspection,
        "reasons": reasons_label(view.inspection.reasons),
        "scores": view.scores,
        "table": [
            {
                "label": item_label(item),
                "weight": item.weight,
                "max": item.max_score,
                "cells": [
                    {"score": s.scores.get(item.code), "comment": s.comments.get(item.code, "")} for s in view.scores
                ],
            }
            for item in rubric.items
        ],
        "within_pct": _percent(view.agreement.within_one) if view.agreement else None,
    }
    if view.may_score or view.may_calibrate:
        context["score_form"] = forms.get("score_form") or ScoreForm(rubric=rubric)
    calibrators = _calibrators(view, actor.id) if view.may_request_calibration else []
    if calibrators:  # someone else who inspects, to ask
        context["calibration_form"] = forms.get("calibration_form") or CalibrationForm(choices=calibrators)
    if view.may_appeal:
        context["appeal_form"] = forms.get("appeal_form") or AppealForm()
    if view.may_decide:
        context["decide_form"] = forms.get("decide_form") or DecideForm(rubric=rubric)
    return render(request, "web/quality/inspection.html", context, status=status)


@login_required
@require_GET
def inspection(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return _page(request, inspection_id)


def _refused(form: Any, exc: ServiceError) -> None:
    field = (
        exc.field
        if exc.field in form.fields
        else (f"score_{exc.field}" if f"score_{exc.field}" in form.fields else None)
    )
    form.add_error(field, refusal_text(exc))


def _done(inspection_id: int, message: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, message)
    return redirect("web:qa_inspection", inspection_id=inspection_id)


@login_required
@require_POST
def score(request: HttpRequest, inspection_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        view = selectors.inspection_view(actor, inspection_id)
    except ServiceError as exc:
        return error_page(request, exc)
    form = ScoreForm(request.POST, rubric=view.rubric)
    if not form.is_valid():
        return _page(request, inspection_id, status=422, score_form=form)
    scores, comments = scores_of(form.cleaned_data, view.rubric)
    try:
        qa.submit_score(
            inspection_id, actor=actor, scores=scores, comments=comments, remark=form.cleaned_data["remark"]
        )
    except ServiceError as exc:
        if exc.status == 403:
            return error_page(request, exc)
        _refused(form, exc)
        return _page(request, inspection_id, status=exc.status, score_form=form)
    return _done(inspection_id, gettext("评分已提交"), request)


@login_required
@require_POST
def calibrate(request: HttpRequest, inspection_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        view = selectors.inspection_view(actor, inspection_id)
    except ServiceError as exc:
        return error_page(request, exc)
    form = CalibrationForm(request.POST, choices=_calibrators(view, actor.id))
    if not form.is_valid():
        return _page(request, inspection_id, status=422, calibration_form=form)
    try:
        qa.request_calibration(inspection_id, actor=actor, calibrator=form.cleaned_data["calibrator"])
    except ServiceError as exc:
        _refused(form, exc)
        return _page(request, inspection_id, status=exc.status, calibration_form=form)
    return _done(inspection_id, gettext("已请第二名质检员背靠背评分"), request)


@login_required
@require_POST
def appeal(request: HttpRequest, inspection_id: int) -> HttpResponse:
    actor = current_actor(request)
    form = AppealForm(request.POST)
    if not form.is_valid():
        return _page(request, inspection_id, status=422, appeal_form=form)
    try:
        qa.file_appeal(inspection_id, actor=actor, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        if exc.status in (403, 404):
            return error_page(request, exc)
        _refused(form, exc)
        return _page(request, inspection_id, status=exc.status, appeal_form=form)
    return _done(inspection_id, gettext("申诉已提交"), request)


@login_required
@require_POST
def decide(request: HttpRequest, inspection_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        view = selectors.inspection_view(actor, inspection_id)
    except ServiceError as exc:
        return error_page(request, exc)
    form = DecideForm(request.POST, rubric=view.rubric)
    if not form.is_valid():
        return _page(request, inspection_id, status=422, decide_form=form)
    d = form.cleaned_data
    revise = d["decision"] == "revised"
    scores, comments = scores_of(d, view.rubric)
    try:
        qa.decide_appeal(
            inspection_id,
            actor=actor,
            revise=revise,
            reason=d["reason"],
            scores=scores if revise else None,
            comments=comments if revise else None,
        )
    except ServiceError as exc:
        if exc.status in (403, 404):
            return error_page(request, exc)
        _refused(form, exc)
        return _page(request, inspection_id, status=exc.status, decide_form=form)
    return _done(inspection_id, gettext("申诉已裁定"), request)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not actor.has("qa.configure"):
        return error_page(request, PermissionDenied("permission_denied", "missing permission 'qa.configure'"))
    config = qa.current_config()
    if request.method == "POST":
        form = ConfigForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            rule = SamplingRule(
                percent=d["percent"],
                min_per_handler=d["min_per_handler"],
                include_overturned=d["include_overturned"],
                include_p1=d["include_p1"],
            )
            try:
                qa.update_config(
                    actor=actor, rule=rule, rubric=d["rubric"], reason=d["reason"], expected_version=d["version"]
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else "rubric", refusal_text(exc))
            else:
                messages.success(request, gettext("质检设置已更新为新版本"))
                return redirect("web:qa_settings")
        status = 422
    else:
        form = ConfigForm(
            initial={
                "percent": config.percent,
                "min_per_handler": config.min_per_handler,
                "include_overturned": config.include_overturned,
                "include_p1": config.include_p1,
                "rubric": rubric_text(qa.rubric_of(config)),
                "version": config.version,
            }
        )
        status = 200
    history = selectors.config_history()
    return render(
        request, "web/quality/settings.html", {"form": form, "config": config, "history": history}, status=status
    )


# -- scorecards ------------------------------------------------------------------------------------


def _stars(n: int) -> str:
    return "★" * n + "☆" * (5 - n) if n else "—"


def _card_cells(card: Any) -> dict[str, Any]:
    return {
        "dims": [card.dimensions[d] for d in DIMENSIONS],
        "total": card.total,
        "stars": _stars(card.stars),
        "n": card.stars,
    }


@login_required
@require_GET
def scorecards(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        month = _month(request)
    except ServiceError as exc:
        return error_page(request, exc)
    b = board(actor, month)
    return render(
        request,
        "web/quality/scorecards.html",
        {
            "month": str(month),
            "months": _months_back(),
            "dimensions": [str(label) for label in DIMENSIONS.values()],
            "rows": [{"r": r, **_card_cells(r.card)} for r in b.rows],
            "teams": [{"g": g, **_card_cells(g.card)} for g in b.teams],
            "units": [{"g": g, **_card_cells(g.card)} for g in b.units],
            "total": _card_cells(b.total) if b.total else None,
        },
    )


@login_required
@require_GET
def scorecards_export(request: HttpRequest) -> HttpResponseBase:
    actor = current_actor(request)
    try:
        month = _month(request)
    except ServiceError as exc:
        return error_page(request, exc)
    b = board(actor, month)

    def dim(name: str) -> Any:
        return lambda r: r.card.dimensions[name]

    columns = [
        Column(gettext("月份"), lambda r: str(month), width=10),
        Column(gettext("员工"), lambda r: r.staff.username, width=14),
        Column(gettext("姓名"), lambda r: str(r.staff), width=12),
        Column(gettext("机构"), lambda r: str(r.staff.unit or ""), width=16),
        Column(gettext("办结工单数"), lambda r: r.card.cases, "int", width=10),
        *[Column(str(label), dim(name), "number", width=12) for name, label in DIMENSIONS.items()],
        Column(gettext("综合得分"), lambda r: r.card.total, "number", width=10),
        Column(gettext("服务星级"), lambda r: r.card.stars or None, "int", width=10),
        Column(gettext("公式版本"), lambda r: r.card.version, "int", width=10),
    ]
    return xlsx_export(
        actor,
        list_name="scorecards",
        rows=b.rows,
        columns=columns,
        filters={"month": str(month)},
        filename=f"scorecards-{month}.xlsx",
    )
