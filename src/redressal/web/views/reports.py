"""The regulatory statistics page for compliance (SPEC §12): pick a period, read the report and its
data-quality warnings, download it as XLSX or PDF, drill from any figure to its cases, and set the
bases of the intensity ratios. ``insight.regulatory`` checks ``report.regulatory`` and scopes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.errors import ServiceError
from redressal.domain.reporting import Period
from redressal.insight import regulatory
from redressal.insight.bases import set_reporting_base
from redressal.insight.export import AXES, AXIS_NAMES, SUMMARY, code_label, report_pdf, report_xlsx, shown, unit_name
from redressal.web.refusals import refusal_text
from redressal.web.templatetags.redressal import STATE_LABELS, local_moment
from redressal.web.views._common import current_actor, error_page

# Which summary figures open a list of their cases (the rates open their numerator's list).
SUMMARY_FIGURES = {
    "total": "total",
    "regulator_forwarded": "regulator_forwarded",
    "regulator_forwarded_share": "regulator_forwarded",
    "decided": "decided",
    "on_time_rate": "on_time",
    "extension_l1_rate": "extended_l1",
    "extension_l2_rate": "extended_l2",
    "pause_rate": "paused",
    "reviews": "reviews",
    "review_rate": "reviews",
    "reviews_decided": "reviews_decided",
    "overturn_rate": "overturned",
    "unconfirmed": "unconfirmed",
    "per_1000_outlets": "total",
    "per_10m_customers": "total",
}
AXIS_FIGURES = (("by_channel", "channel"), ("by_business", "business"), ("by_cause", "cause"))


class BaseForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("机构代码"), max_length=16)
    outlets = forms.IntegerField(label=gettext_lazy("营业网点数"), min_value=1, max_value=1_000_000)
    individual_customers = forms.IntegerField(label=gettext_lazy("个人客户数"), min_value=1, max_value=10_000_000_000)


def default_period(today: date) -> Period:
    """The last closed quarter: what compliance files next."""
    quarter = (today.month - 1) // 3 + 1
    return Period(today.year, quarter - 1) if quarter > 1 else Period(today.year - 1, 4)


def _period(request: HttpRequest) -> Period:
    text = request.GET.get("period", "").strip()
    if not text:
        return default_period(local_moment(now()).date())
    return regulatory.period_of(text)


def drill_url(period: str, figure: str, value: str = "") -> str:
    query = {"period": period, "figure": figure, **({"value": value} if value else {})}
    return f"{reverse('web:regulatory_cases')}?{urlencode(query)}"


def _page_rows(report: dict[str, Any], language: str) -> dict[str, Any]:
    label = report["period"]
    summary = [
        {
            "label": str(name),
            "value": shown(report[key], kind),
            "url": drill_url(label, SUMMARY_FIGURES[key]) if key in SUMMARY_FIGURES else "",
        }
        for key, name, kind in SUMMARY
    ]
    axes = []
    for (key, figure), (_k, title) in zip(AXIS_FIGURES, _axis_titles(), strict=True):
        rows = [
            {
                **row,
                "name": code_label(row, language),
                "share_shown": shown(row["share"], "rate"),
                "change_shown": shown(row["change"], "rate"),
                "url": drill_url(label, figure, row["code"] or ""),
            }
            for row in report[key]
        ]
        axes.append({"title": title, "key": key, "rows": rows})
    units = [
        {
            **row,
            "display": unit_name(row, language),
            "share_shown": shown(row["share"], "rate"),
            "on_time_shown": shown(row["on_time_rate"], "rate"),
            "url": drill_url(label, "unit", row["code"]),
        }
        for row in report["by_unit"]
    ]
    regions = [
        {**row, "share_shown": shown(row["share"], "rate"), "url": drill_url(label, "region", row["region"])}
        for row in report["by_region"]
    ]
    since = regulatory.confirmed_since(report["warnings"])
    warnings = [
        {
            **w,
            "missing_shown": "、".join(str(AXIS_NAMES[a]) for a in w["missing"]),
            "confirmed_since": w["case_id"] in since,
        }
        for w in report["warnings"]
    ]
    intensity = [
        {
            **row,
            "display": unit_name(row, language),
            "outlets_shown": shown(row["per_1000_outlets"], "ratio"),
            "customers_shown": shown(row["per_10m_customers"], "ratio"),
        }
        for row in report["intensity_by_unit"]
    ]
    return {
        "summary": summary,
        "axes": axes,
        "units": units,
        "regions": regions,
        "warnings": warnings,
        "intensity": intensity,
    }


def _axis_titles() -> list[tuple[str, str]]:
    return [(k, str(t)) for k, t in AXES]


@login_required
@require_GET
def regulatory_page(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        period = _period(request)
        report = regulatory.regulatory_report(actor, period)
    except ServiceError as exc:
        return error_page(request, exc, field=exc.field, back=reverse("web:regulatory"))
    language = get_language() or "zh-hans"
    context = {
        "report": report,
        "period": period.label,
        "as_of": datetime.fromisoformat(report["as_of"]),
        "form": BaseForm(initial={"unit": next((u.code for u in regulatory.scope_of(actor).roots), "")}),
        "xlsx_url": f"{reverse('web:regulatory_export', args=['xlsx'])}?period={period.label}",
        "pdf_url": f"{reverse('web:regulatory_export', args=['pdf'])}?period={period.label}",
        **_page_rows(report, language),
    }
    return render(request, "web/reports/regulatory.html", context)


@login_required
@require_GET
def regulatory_export(request: HttpRequest, fmt: str) -> HttpResponse:
    actor = current_actor(request)
    try:
        period = _period(request)
        report = regulatory.regulatory_report(actor, period)
    except ServiceError as exc:
        return error_page(request, exc, field=exc.field, back=reverse("web:regulatory"))
    language = get_language() or "zh-hans"
    if fmt not in ("pdf", "xlsx"):
        return error_page(request, ServiceError("invalid_choice", f"unknown format '{fmt}'", field="format"))
    if fmt == "pdf":
        data, content_type = report_pdf(report, language), "application/pdf"
    else:
        data = report_xlsx(report, language)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # An export leaves the system: who took which report, when (SPEC §13).
    record_audit(
        f"export.regulatory.{fmt}",
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type="regulatory_report",
        object_id=period.label,
        payload={"as_of": report["as_of"], "total": report["total"]},
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="regulatory-{period.label}.{fmt}"'
    return response


@login_required
@require_GET
def regulatory_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure of the report, as of the period's end (a list of its own: the
    all-cases list filters today's state)."""
    actor = current_actor(request)
    figure = request.GET.get("figure", "total")
    value = request.GET.get("value", "")[:50]
    try:
        period = _period(request)
        cases = list(regulatory.figure_cases(actor, period, figure, value)[:2000])
    except ServiceError as exc:
        return error_page(request, exc, field=exc.field, back=reverse("web:regulatory"))
    return render(
        request,
        "web/reports/figure_cases.html",
        {
            "period": period.label,
            "figure": figure,
            "value": value,
            "cases": cases,
            "cap": 2000,
            "states": STATE_LABELS,
            "back": f"{reverse('web:regulatory')}?period={period.label}",
        },
    )


@login_required
@require_POST
def reporting_base(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    period = request.POST.get("period", "")
    back = f"{reverse('web:regulatory')}?{urlencode({'period': period})}"
    form = BaseForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{form.fields[field].label}: {errors[0]}")
        return redirect(back)
    try:
        set_reporting_base(
            actor,
            period=period,
            unit_code=form.cleaned_data["unit"],
            outlets=form.cleaned_data["outlets"],
            individual_customers=form.cleaned_data["individual_customers"],
        )
    except ServiceError as exc:
        if exc.status == 403:
            return error_page(request, exc, back=back)
        messages.error(request, refusal_text(exc))
        return redirect(back)
    messages.success(request, _("已保存该期间的网点数和个人客户数。"))
    return redirect(back)
