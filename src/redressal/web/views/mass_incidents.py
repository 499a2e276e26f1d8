"""Mass incidents (SPEC §6 群体性事件): the list, one incident with its cases, and one decision text
sent to every open case of it (``bulk_respond``), each case answered through its own ``respond`` and
the ones that cannot be answered yet reported with the reason.

Who may see them and who may answer: ``triage.page_selectors`` (``case.review``; ``case.respond``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from redressal.cases.services import Notice
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.domain.lifecycle import CHALLENGE_ROUTES
from redressal.domain.notice import notice_draft
from redressal.domain.profiles import profile_for
from redressal.improvement.access import may_open_issues
from redressal.org.authz import Actor
from redressal.triage.models import MassIncident
from redressal.triage.page_selectors import (
    INCIDENT_READ,
    IncidentRow,
    incident_cases,
    incident_for,
    incident_list,
    may_bulk_respond,
    may_see_incidents,
)
from redressal.triage.services import BulkResult, bulk_respond
from redressal.triage.services.incidents import may_decide, record_incident_root_cause
from redressal.web.forms.triage import BulkRespondForm, IncidentRootCauseForm
from redressal.web.refusals import refusal_text
from redressal.web.triage_labels import baseline_text, dimension_label, incident_value, value_label
from redressal.web.views._common import current_actor, error_page, is_htmx
from redressal.web.views.case_actions import filled_notice

STATUSES = {s.value for s in MassIncident.Status}
# Why a case could not be answered, in words (the service's codes); anything else shows its message.
REFUSALS = {
    "lifecycle.invalid_transition": _("当前状态不能答复：须先受理并开始调查"),
    "lifecycle.short_path": _("该类诉求不适用答复操作"),
    "lifecycle.full_path": _("该类诉求不适用答复操作"),
    "permission_denied": _("您无权答复该工单"),
    "tasks.blocking_open": _("有未回复的阻断性协办任务"),
    "approval.pending": _("有待审批的解决方案"),
    "decision.classification_unconfirmed": _("业务类别（B）和投诉原因（C）尚未确认"),
    "version_conflict": _("工单刚被他人修改，请稍后重试"),
}


def incident_notice_template(incident: IncidentRow) -> str:
    """The decision notice for every case of the incident; the person completes and edits it. The
    【…】 placeholders left unedited are filled from the decision fields when the form is sent."""
    with translation.override("zh-hans"):
        subject = incident_value(incident.dimension, incident.value) if incident.dimension != "text" else ""
    window = profile_for(incident.detected_at).review.request_window_days
    return notice_draft(review_window_days=window, subject=subject)


def _row(incident: IncidentRow) -> dict[str, Any]:
    return {
        "incident": incident,
        "dimension_label": dimension_label(incident.dimension),
        "value_label": incident_value(incident.dimension, incident.value),
        "status_label": MassIncident.Status(incident.status).label,
        "baseline": baseline_text(incident.expected),
        "cause_label": f"{incident.cause_code} {value_label('cause', incident.cause_code)}"
        if incident.cause_code
        else "",
    }


def _page_context(
    actor: Actor, incident: IncidentRow, cause_form: IncidentRootCauseForm | None = None
) -> dict[str, Any]:
    context = _main_context(actor, incident)
    context["can_open_issue"] = may_open_issues(actor)  # 溯源整改 from the incident's cases
    # Offered to whom the service lets end it (``record_incident_root_cause`` decides again).
    open_ = incident.status == MassIncident.Status.OPEN
    if open_ and may_decide(actor, MassIncident.objects.select_related("unit").get(pk=incident.id)):
        initial = {"root_cause": incident.root_cause, "cause_code": incident.cause_code}
        context["cause_form"] = cause_form or IncidentRootCauseForm(prefix="cause", initial=initial)
    return context


def _refused(request: HttpRequest, actor: Actor) -> HttpResponse | None:
    if may_see_incidents(actor):
        return None
    return error_page(request, PermissionDenied("permission_denied", f"missing permission '{INCIDENT_READ}'"))


@login_required
@require_GET
def incident_list_page(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    refused = _refused(request, actor)
    if refused is not None:
        return refused
    status = request.GET.get("status", "open")
    status = status if status in STATUSES else ""
    total, rows = incident_list(actor, status=status)
    return render(
        request,
        "web/mass_incidents/list.html",
        {"incidents": [_row(r) for r in rows], "total": total, "status": status, "shown": len(rows)},
    )


def _main_context(
    actor: Actor, incident: IncidentRow, form: BulkRespondForm | None = None, **extra: Any
) -> dict[str, Any]:
    cases = incident_cases(actor, incident.id)
    can_respond = may_bulk_respond(actor) and incident.status == MassIncident.Status.OPEN
    if can_respond and form is None and cases.open_count:
        initial = {"notice_content": incident_notice_template(incident), "routes": list(CHALLENGE_ROUTES)}
        form = BulkRespondForm(prefix="bulk", initial=initial)
    return {**_row(incident), "cases": cases, "can_respond": can_respond, "form": form, **extra}


def _incident(request: HttpRequest, incident_id: int) -> tuple[Actor, IncidentRow | HttpResponse]:
    """Who asks, and the incident they may see (or the page refusing it)."""
    actor = current_actor(request)
    refused = _refused(request, actor)
    if refused is not None:
        return actor, refused
    try:
        return actor, incident_for(actor, incident_id)
    except ServiceError as exc:
        return actor, error_page(request, exc)


@login_required
@require_GET
def incident_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    actor, incident = _incident(request, incident_id)
    if isinstance(incident, HttpResponse):
        return incident
    return render(request, "web/mass_incidents/detail.html", _page_context(actor, incident))


@login_required
@require_POST
def incident_root_cause(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Record the incident's root cause, and end the incident when the "end" button was pressed."""
    actor, incident = _incident(request, incident_id)
    if isinstance(incident, HttpResponse):
        return incident
    form = IncidentRootCauseForm(request.POST, prefix="cause")
    close = "close" in request.POST
    if form.is_valid():
        try:
            record_incident_root_cause(
                incident.id,
                actor=actor,
                root_cause=form.cleaned_data["root_cause"],
                cause_code=form.cleaned_data.get("cause_code") or "",
                close=close,
            )
        except ServiceError as exc:
            if exc.field not in form.fields:
                return error_page(request, exc)
            form.add_error(exc.field, refusal_text(exc))
        else:
            messages.success(request, _("事件已结束，根因已记录") if close else _("根因已保存"))
            return redirect("web:mass_incident", incident_id=incident.id)
    return render(request, "web/mass_incidents/detail.html", _page_context(actor, incident, form), status=422)


def _results(result: BulkResult, numbers: dict[str, int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"case_number": n, "id": numbers.get(n), "answered": True, "reason": ""} for n in sorted(result.responded)
    ]
    for number, text in sorted(result.failed.items()):
        code, _sep, message = text.partition(": ")
        out.append(
            {
                "case_number": number,
                "id": numbers.get(number),
                "answered": False,
                "code": code,
                "reason": REFUSALS.get(code, message or code),
            }
        )
    return out


@login_required
@require_POST
def incident_bulk_respond(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Answer every open case of the incident with one decision; report each case's result."""
    template = "web/mass_incidents/_main.html" if is_htmx(request) else "web/mass_incidents/detail.html"
    actor, incident = _incident(request, incident_id)
    if isinstance(incident, HttpResponse):
        return incident
    form = BulkRespondForm(request.POST, prefix="bulk")
    if not may_bulk_respond(actor) or incident.status != MassIncident.Status.OPEN:
        if incident.status != MassIncident.Status.OPEN:
            return render(request, template, _main_context(actor, incident, refused=_("该事件已结束")), status=409)
        return render(request, template, _main_context(actor, incident, refused=_("您没有批量答复的权限")), status=403)
    if not form.is_valid():
        return render(request, template, _main_context(actor, incident, form), status=422)
    data = form.cleaned_data
    result = bulk_respond(
        incident.id,
        actor=actor,
        outcome=data["outcome"],
        reasons=data["reasons"],
        basis=data["basis"],
        remedy=data.get("remedy") or "",
        notice=Notice(channel=data["notice_channel"], content=filled_notice(form, data), routes=list(data["routes"])),
    )
    numbers = {r["case_number"]: r["id"] for r in incident_cases(actor, incident.id).rows}
    context = _main_context(
        actor,
        incident,
        results=_results(result, numbers),
        answered=len(result.responded),
        refused_count=len(result.failed),
    )
    return render(request, template, context)
