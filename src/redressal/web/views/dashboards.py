"""The statistics dashboard (SPEC §12): charts over the viewer's units, each drawn by ``charts.js``
from the table it illustrates (the table stays the accessible source; the CSP forbids inline script).
Every bar, point and cell links to the all-cases list filtered to its cases."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from redressal.cases.models import Case
from redressal.core.clock import now
from redressal.core.errors import ServiceError
from redressal.insight import dashboards as d
from redressal.web.templatetags.redressal import STATE_LABELS
from redressal.web.triage_labels import value_label
from redressal.web.views._common import current_actor, error_page

SERIES_LABELS: dict[str, Any] = {
    "count": _("件数"),
    "decided": _("办结投诉"),
    "on_time_rate": _("按时办结率（%）"),
    "handling_days": _("平均处理天数"),
    "csat": _("平均满意度（1–5）"),
    "satisfied_rate": _("满意率（%）"),
    **{t: label for t, label in Case.RequestType.choices},
}
RISK_LABELS: dict[str, Any] = {"at_risk": _("临近超时"), "overdue": _("已超时")}
AGE_LABELS: dict[str, Any] = {
    "0-7": _("7 天以内"),
    "8-15": _("8–15 天"),
    "16-30": _("16–30 天"),
    "31-60": _("31–60 天"),
    "61+": _("60 天以上"),
}


def _case_list(filters: dict[str, str]) -> str:
    if "incident" in filters:
        filters = {"incident": filters["incident"], "include_closed": "1"}
    return f"{reverse('web:case_list')}?{urlencode(filters)}"


def _label(dimension: str, key: str, units: dict[str, str], point: d.Point) -> str:
    if dimension in ("channel", "business", "cause"):
        return value_label(dimension, key)
    if dimension == "status":
        return str(STATE_LABELS.get(key, key))
    if dimension == "unit":
        return units.get(key, key)
    if dimension == "risk":
        return str(RISK_LABELS[key])
    if dimension == "age":
        return str(AGE_LABELS[key])
    if dimension == "incident":  # the incident's dimension names what its value is (a channel, a C code …)
        return value_label(point.filters.get("dimension", ""), point.filters.get("label", key))
    return key  # a week's Monday, a month, a product's name


def _table(chart: d.Chart, title: Any, kind: str, units: dict[str, str]) -> dict[str, Any]:
    return {
        "id": chart.name,
        "title": title,
        "kind": kind,
        "series": [{"key": s, "label": SERIES_LABELS.get(s, s)} for s in chart.series],
        "rows": [
            {
                "label": _label(chart.dimension, p.key, units, p),
                "values": [p.values[s] for s in chart.series],
                "url": _case_list(p.filters),
            }
            for p in chart.points
        ],
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        units = d.scope(actor)
    except ServiceError as exc:
        return error_page(request, exc)
    moment = now()
    charts = {
        "volume_by_type": d.volume_by_type(units, moment),
        "volume_by_channel": d.volume_by_channel(units, moment),
        "by_business": d.by_code(units, moment, "business"),
        "by_cause": d.by_code(units, moment, "cause"),
        "volume_by_unit": d.volume_by_unit(units, moment),
        "open_by_state": d.open_by_state(units, moment),
        "open_by_age": d.open_by_age(units, moment),
        "timeliness": d.timeliness(units, moment),
        "at_risk": d.at_risk_and_overdue(units, moment),
        "satisfaction": d.satisfaction(units, moment),
        "top_causes": d.by_code(units, moment, "cause", top=d.TOP),
        "top_products": d.top_products(units, moment),
        "mass_incidents": d.mass_incidents(units, moment),
    }
    weeks, heat_units, cells = d.unit_week_heatmap(units, moment)
    codes = sorted({p.key for c in ("volume_by_unit",) for p in charts[c].points} | set(heat_units))
    names = d.unit_names(codes, get_language() or "zh-hans")
    layout = (
        ("volume_by_type", _("每周受理量（按类型）"), "stacked-bar"),
        ("volume_by_channel", _("受理渠道（近 12 周）"), "bar"),
        ("by_business", _("业务类别（近 12 周，已确认分类）"), "bar"),
        ("by_cause", _("投诉原因（近 12 周，已确认分类）"), "bar"),
        ("volume_by_unit", _("受理机构（近 12 周）"), "bar"),
        ("open_by_state", _("在办工单（按状态）"), "bar"),
        ("open_by_age", _("在办工单（按已收到天数）"), "bar"),
        ("timeliness", _("按时办结率与平均处理天数（按答复月份）"), "line"),
        ("at_risk", _("临近超时与已超时"), "bar"),
        ("satisfaction", _("客户满意度（按反馈月份）"), "line"),
        ("top_causes", _("主要投诉原因"), "bar"),
        ("top_products", _("主要投诉产品（近 12 周）"), "bar"),
        ("mass_incidents", _("群体性事件（涉及工单数）"), "bar"),
    )
    tables = [_table(charts[key], title, kind, names) for key, title, kind in layout]
    heatmap = {
        "weeks": weeks,
        "units": [{"code": c, "label": names.get(c, c)} for c in heat_units],
        "cells": [
            {
                "unit": names.get(p.key.split("|")[0], p.key),
                "unit_index": heat_units.index(p.key.split("|")[0]),
                "week_index": weeks.index(p.key.split("|")[1]),
                "week": p.key.split("|")[1],
                "count": p.values["count"],
                "url": _case_list(p.filters),
            }
            for p in cells
        ],
    }
    return render(request, "web/reports/dashboard.html", {"tables": tables, "heatmap": heatmap, "now": moment})
