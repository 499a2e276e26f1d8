"""The triage panel of the case page (SPEC §6): each suggestion with its confidence and model version
beside what staff confirmed, the flags with their evidence, the priority's factors, duplicate
candidates and mass incidents — and, for those ``confirm_classification`` lets, confirming or
correcting each axis in place (htmx). Every form sends the case version it was rendered with; a
change made meanwhile is refused (409) and the panel shown afresh."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from redressal.cases import selectors
from redressal.cases.commands import execute
from redressal.cases.models import Case
from redressal.core.errors import Conflict, PermissionDenied, ServiceError
from redressal.domain.lifecycle import allowed_actions
from redressal.org.authz import Actor
from redressal.triage.classifier import AXES
from redressal.triage.commands import ConfirmClassification
from redressal.triage.models import MassIncident
from redressal.triage.page_selectors import case_incidents, duplicate_rows, may_see_incidents
from redressal.triage.selectors import classification_view, triage_view
from redressal.web.forms.triage import ConfirmClassificationForm, axis_choices
from redressal.web.refusals import refusal_text
from redressal.web.triage_labels import (
    AXIS_LABELS,
    dimension_label,
    emotion_label,
    evidence_text,
    factor_row,
    incident_value,
    reason_text,
    risk_label,
    value_label,
    vulnerable_label,
)
from redressal.web.views._common import current_actor, is_htmx
from redressal.web.views.case_actions import allowed_specs, next_step_for, unconfirmed_labels

CONFIRM_PERMISSION = "case.investigate"  # what confirm_classification requires


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return parse_datetime(value) if isinstance(value, str) else None


def _axis_rows(case: Case, can_confirm: bool) -> list[dict[str, Any]]:
    rows = []
    for axis, entry in classification_view(case).items():
        suggested = entry["suggested"]
        confirmed = entry["confirmed"]
        s_row = None
        if suggested:
            code = str(suggested.get("code") or "")
            confidence = suggested.get("confidence")
            s_row = {
                "code": code,
                "label": value_label(axis, code, str(suggested.get("label") or "")),
                "percent": round(float(confidence) * 100) if isinstance(confidence, int | float) else None,
                "model_version": suggested.get("model_version") or "",
            }
        c_row = None
        if confirmed:
            code = str(confirmed.get("code") or "")
            c_row = {
                "code": code,
                "label": value_label(axis, code, str(confirmed.get("label") or "")),
                "by": confirmed.get("by") or "",
                "at": _when(confirmed.get("at")),
                "agrees": bool(s_row) and s_row["code"] == code,  # type: ignore[index]
            }
        keep = tuple(str(x["code"]) for x in (s_row, c_row) if x)
        rows.append(
            {
                "axis": axis,
                "label": AXIS_LABELS[axis],
                "suggested": s_row,
                "confirmed": c_row,
                "choices": axis_choices(axis, keep) if can_confirm else None,
                "current": (c_row or s_row or {}).get("code", ""),
                "can_accept": can_confirm and s_row is not None and (c_row is None or c_row["code"] != s_row["code"]),
            }
        )
    return rows


def _flags(codes: list[str], evidence: list[dict[str, Any]] | None, label: Any) -> list[dict[str, Any]]:
    found = {str(f.get("code")): f.get("evidence") or [] for f in evidence or [] if isinstance(f, dict)}
    out = [{"code": c, "label": label(c), "evidence": [evidence_text(str(e)) for e in found.get(c, [])]} for c in codes]
    # Evidence recorded for a flag the case row no longer lists is not shown: the row is the truth.
    return out


def triage_panel(case: Case, actor: Actor, **state: Any) -> dict[str, Any]:
    """Everything the panel shows, for the case page (``case_context``) and the panel's own answers."""
    form = state.pop("form", None)
    if form is not None:
        state["errors"] = _errors(form, state.get("error_axis", ""))
    can_confirm = actor.has(CONFIRM_PERMISSION, case.unit)
    view = triage_view(case, with_evidence=True)
    duplicates = duplicate_rows(case)
    for d in duplicates:
        d["percent"] = round(d["score"] * 100)
        d["reasons"] = [reason_text(str(r)) for r in d["reasons"]]
    incidents = case_incidents(case)
    for m in incidents:
        m["dimension_label"] = dimension_label(m["dimension"])
        m["value_label"] = incident_value(m["dimension"], m["value"])
        m["status_label"] = MassIncident.Status(m["status"]).label
    merge_possible = "merge" in allowed_actions(case.status, case.request_type) and actor.has("case.merge", case.unit)
    return {
        "case": case,
        "axes": _axis_rows(case, can_confirm),
        "can_confirm": can_confirm,
        "emotion": {
            "code": view["emotion"],
            "label": emotion_label(view["emotion"]),
            "evidence": [evidence_text(str(e)) for e in view["emotion_evidence"] or []],
        },
        "risk_flags": _flags(view["risk_flags"], view["flags"], risk_label),
        "vulnerable": _flags(view["vulnerable"], view["vulnerable_evidence"], vulnerable_label),
        "priority": view["priority"],
        "factors": [factor_row(f) for f in view["priority_factors"] if isinstance(f, dict)],
        "score": sum(int(f.get("points") or 0) for f in view["priority_factors"] if isinstance(f, dict)),
        "duplicates": duplicates,
        "merge_possible": merge_possible,
        "incidents": incidents,
        "incident_links": may_see_incidents(actor),
        **state,
    }


def _errors(form: ConfirmClassificationForm, axis: str) -> list[dict[str, str]]:
    """Each error with the name of its field as the person sees it (the code field is the axis)."""
    out = []
    for name, messages in form.errors.items():
        if name == "code" and axis:
            label = str(AXIS_LABELS[axis])
        elif name in form.fields:
            label = str(form.fields[name].label or name)
        else:
            label = ""
        out += [{"field": name, "label": label, "message": str(m)} for m in messages]
    return out


def _fragment(
    request: HttpRequest, case: Case, actor: Actor, status: int = 200, oob_next_step: Any = None, **state: Any
) -> HttpResponse:
    context = {"triage_panel": triage_panel(case, actor, **state), "oob_next_step": oob_next_step}
    return render(request, "web/case/_triage.html", context, status=status)


@login_required
@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    """The panel alone (htmx refresh)."""
    actor = current_actor(request)
    try:
        case = selectors.readable_case(actor, case_id)
    except ServiceError as exc:
        return render(request, "web/error.html", {"message": refusal_text(exc), "error": exc}, status=exc.status)
    return _fragment(request, case, actor)


def _answer(request: HttpRequest, case: Case, actor: Actor, status: int, **state: Any) -> HttpResponse:
    """A refused confirmation: the panel fragment for htmx, else the whole case page around it."""
    if is_htmx(request):
        return _fragment(request, case, actor, status, **state)
    from redressal.web.views.case import case_context

    return render(request, "web/case/detail.html", case_context(request, case, actor, **state), status=status)


@login_required
@require_POST
def confirm(request: HttpRequest, case_id: int) -> HttpResponse:
    """Confirm the suggestion of one axis, or correct it with another value."""
    actor = current_actor(request)
    try:
        case = selectors.readable_case(actor, case_id)
    except ServiceError as exc:
        return render(request, "web/error.html", {"message": refusal_text(exc), "error": exc}, status=exc.status)
    form = ConfirmClassificationForm(request.POST)
    axis = request.POST.get("axis", "")
    axis = axis if axis in AXES else ""
    if not actor.has(CONFIRM_PERMISSION, case.unit):
        refused = PermissionDenied("permission_denied", gettext("您没有确认分类的权限"))
        return _answer(request, case, actor, 403, error=refusal_text(refused), error_axis=axis)
    if not form.is_valid():
        return _answer(request, case, actor, 422, form=form, error_axis=axis)
    data = form.cleaned_data
    try:
        confirming = ConfirmClassification(axis=data["axis"], code=data["code"], expected_version=data["version"])
        case = execute(case.pk, confirming, actor)
    except Conflict as exc:
        case = selectors.readable_case(actor, case_id)
        message = gettext("在您操作期间，其他人已修改了此工单。请查看最新的分类后再确认。")
        return _answer(
            request,
            case,
            actor,
            409,
            conflict=True,
            error=message if exc.code == "version_conflict" else refusal_text(exc),
            error_axis=axis,
        )
    except ServiceError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, refusal_text(exc))
        else:
            form.add_error(None, refusal_text(exc))
        return _answer(request, case, actor, 422 if exc.status == 400 else exc.status, form=form, error_axis=axis)
    if not is_htmx(request):
        return redirect(reverse("web:case_detail", args=[case.pk]) + "#classification")
    case = selectors.readable_case(actor, case_id)
    # The header's next step may change with the codes (a decision waits for B and C): sent along, out of band.
    step = next_step_for(case, allowed_specs(case, actor))
    decides = "respond" in allowed_actions(case.status, case.request_type)
    head = {"next_step": step, "unconfirmed": unconfirmed_labels(case) if decides else []}
    return _fragment(request, case, actor, saved_axis=data["axis"], oob_next_step=head)
