"""The triage panel's content (SPEC §6), apart from its views: the case page (``case_context``) shows it
and the panel's own answers (``redressal.web.views.triage``) redraw it, so both import it from here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from redressal.cases.models import Case
from redressal.domain.lifecycle import allowed_actions
from redressal.org.authz import Actor
from redressal.triage.models import MassIncident
from redressal.triage.page_selectors import case_incidents, duplicate_rows, may_see_incidents
from redressal.triage.selectors import classification_view, triage_view
from redressal.web.forms.triage import ConfirmClassificationForm, axis_choices
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
