"""Audit pages (SPEC §13) for compliance and internal audit: a global search over case events and
the other audit events, and one case's full trail with its hash-chain check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from redressal.audit.services import record_audit
from redressal.cases import page_selectors
from redressal.cases import selectors_audit as audit
from redressal.core.errors import ServiceError
from redressal.org.authz import Actor
from redressal.web.exports import Column, xlsx_export
from redressal.web.forms.fields import DayField
from redressal.web.refusals import refusal_text
from redressal.web.templatetags.redressal import FIELD_LABELS
from redressal.web.views._common import current_actor, error_page

PAGE = 50


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), max_length=150, required=False)
    type = forms.CharField(label=_("事件类型"), max_length=40, required=False)
    object_ref = forms.CharField(label=_("对象/工单编号"), max_length=64, required=False)
    date_from = DayField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DayField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.ChoiceField(
        label=_("来源"), required=False,
        choices=[("", _("全部")), ("case", _("工单事件")), ("system", _("系统审计事件"))],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for name in ("actor", "type", "object_ref"):
            if "\x00" in str(data.get(name, "")):
                self.add_error(name, _("含有非法字符。"))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def query(self) -> audit.AuditQuery:
        tz = ZoneInfo(settings.TIME_ZONE)
        d = self.cleaned_data
        start = datetime.combine(d["date_from"], time.min, tz) if d.get("date_from") else None
        end = datetime.combine(d["date_to"] + timedelta(days=1), time.min, tz) if d.get("date_to") else None
        return audit.AuditQuery(
            actor=d.get("actor", "").strip(),
            type=d.get("type", "").strip(),
            object_ref=d.get("object_ref", "").strip(),
            date_from=start,
            date_to=end,
            source=d.get("source", ""),
        )


@login_required
def audit_search(request: HttpRequest) -> HttpResponseBase:
    actor = current_actor(request)
    try:
        audit.require_auditor(actor)
    except ServiceError as exc:
        return error_page(request, exc)
    form = AuditSearchForm(request.GET or None)
    rows: list[audit.AuditRow] = []
    next_cursor = ""
    status = 200
    searched = False
    if form.is_bound:
        if form.is_valid():
            searched = True
            try:
                after = request.GET.get("after", "")[:80]
                rows, next_cursor = audit.search(actor, form.query(), after=after, limit=PAGE)
            except ServiceError as exc:
                form.add_error(None, refusal_text(exc))
                status = exc.status
        else:
            status = 422
    else:
        rows, next_cursor = audit.search(actor, audit.AuditQuery(), limit=PAGE)
    if searched and request.GET.get("export") == "xlsx":
        return _export(request, actor, form.query())
    return render(
        request, "web/audit/search.html",
        {"form": form, "rows": rows, "next_cursor": next_cursor, "after": request.GET.get("after", "")},
        status=status,
    )


EXPORT_MAX = 10_000


def _export(request: HttpRequest, actor: Actor, query: audit.AuditQuery) -> HttpResponseBase:
    """XLSX of the matching events (at most EXPORT_MAX, newest first), through the shared list exporter,
    which writes in constant memory and records the export itself as an audit event (SPEC §13)."""

    def rows() -> Iterator[Any]:
        after = ""
        while True:
            page, after = audit.search(actor, query, after=after, limit=500)
            yield from page
            if not after:
                return

    columns = [
        Column(_("时间"), lambda r: r.at, "datetime", 18),
        Column(_("来源"), lambda r: r.source),
        Column(_("事件类型"), lambda r: r.type, width=20),
        Column(_("操作人"), lambda r: r.actor),
        Column(_("角色"), lambda r: r.role),
        Column(_("对象类型"), lambda r: r.object_type),
        Column(_("对象"), lambda r: r.object_ref, width=22),
        Column(_("原因"), lambda r: r.reason, width=30),
        Column(_("内容"), lambda r: json.dumps(r.payload, ensure_ascii=False, default=str), width=60),
    ]
    filters = {k: str(v) for k, v in vars(query).items() if v}
    return xlsx_export(
        actor, list_name="audit", rows=rows(), columns=columns, filters=filters, filename="audit.xlsx",
        cap=EXPORT_MAX,
    )


# The case row's parts audit-verify checks besides the tracked fields (which have FIELD_LABELS).
ROW_PARTS = {"notes": _("备注"), "proposals": _("解决方案")}


@login_required
def case_trail(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        case, events, others, chain_break, mismatched = audit.case_trail(actor, case_id)
    except ServiceError as exc:
        return error_page(request, exc)
    record_audit("audit.case_trail_viewed", actor_id=actor.id, actor_role=actor.primary_role,
                 object_type="case", object_id=case.case_number)
    return render(
        request, "web/audit/case_trail.html",
        {
            "case": case, "events": events, "others": others, "chain_break": chain_break,
            "names": page_selectors.change_names(events),
            "row_mismatch": [FIELD_LABELS.get(part) or ROW_PARTS.get(part, part) for part in mismatched],
        },
    )


@login_required
def backdated(request: HttpRequest) -> HttpResponseBase:
    """补录操作: every case action recorded more than one working day after it happened, with who and why."""
    actor = current_actor(request)
    try:
        rows = audit.backdated_actions(actor, limit=BACKDATED_MAX)
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/audit/backdated.html", {"rows": rows, "cap": BACKDATED_MAX})


BACKDATED_MAX = 500
