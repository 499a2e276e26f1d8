"""Accountability (问责): recording a finding on a member of staff from the case page, carrying out or
withdrawing its measures, and the staff member's record where those entitled read their findings
(the person, their reporting line, supervisors, branch heads and compliance over their unit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from redressal.cases.models import Case
from redressal.cases.page_selectors import responsible_staff_choices
from redressal.cases.selectors import readable_case
from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from redressal.domain.improvement import ACCOUNTABLE_FINDINGS
from redressal.improvement import selectors
from redressal.improvement.access import may_manage_accountability
from redressal.improvement.models import AccountabilityMeasure
from redressal.improvement.services import MeasureInput, cancel_measure, carry_out_measure, record_accountability
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.web.forms import improvement as f
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page


def may_record(actor: Actor, case: Case) -> bool:
    finding = (case.responsibility or {}).get("finding")
    return finding in ACCOUNTABLE_FINDINGS and may_manage_accountability(actor, case.unit)


def case_accountability(actor: Actor, case: Case) -> dict[str, Any]:
    """The case page's section: the findings this person may see, and whether they may record one."""
    return {
        "rows": selectors.accountability_for_case(actor, case),
        "can_record": may_record(actor, case),
        "responsibility": case.responsibility or {},
    }


@login_required
def accountability_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        case = readable_case(actor, case_id)
    except ServiceError as exc:
        return error_page(request, exc)
    if not may_manage_accountability(actor, case.unit):
        return error_page(request, PermissionDenied("permission_denied", gettext("您没有问责的权限。")))
    staff = responsible_staff_choices(case)
    status = 200
    if request.method == "POST":
        form = f.AccountabilityForm(request.POST, staff=staff)
        if form.is_valid():
            d = form.cleaned_data
            measures = [
                MeasureInput(kind=d["kind"], description=d["description"], due_in_working_days=d["due_in_working_days"])
            ]
            if d["kind_2"]:
                measures.append(MeasureInput(kind=d["kind_2"], due_in_working_days=d["due_in_working_days"]))
            try:
                record_accountability(case.pk, actor=actor, staff=d["staff"], finding=d["finding"], measures=measures)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))
                status = exc.status
            else:
                messages.success(request, gettext("已记录问责。"))
                return redirect("web:case_detail", case_id=case.pk)
        else:
            status = 422
    else:
        initial = {
            "staff": (case.responsibility or {}).get("responsible_staff", ""),
            "kind": (case.responsibility or {}).get("measure", "training"),
        }
        form = f.AccountabilityForm(initial=initial, staff=staff)
    return render(request, "web/accountability/new.html", {"case": case, "form": form}, status=status)


def _measure_done(request: HttpRequest, measure_id: int, *, cancel: bool) -> HttpResponse:
    actor = current_actor(request)
    row = AccountabilityMeasure.objects.select_related("accountability__staff").filter(pk=measure_id).first()
    if row is None:
        return error_page(request, NotFound("not_found", gettext("没有这项问责措施。")))
    staff = row.accountability.staff
    try:
        if cancel:
            form = f.ReasonForm(request.POST)
            if not form.is_valid():
                raise _required("reason")
            cancel_measure(measure_id, actor=actor, reason=form.cleaned_data["reason"])
        else:
            done = f.CarryOutForm(request.POST)
            if not done.is_valid():
                raise _required("evidence_note")
            carry_out_measure(
                measure_id,
                actor=actor,
                evidence_note=done.cleaned_data["evidence_note"],
                training_ref=done.cleaned_data["training_ref"],
            )
    except ServiceError as exc:
        if exc.status == 403 or not selectors.accountability_for_staff(actor, staff):
            return error_page(request, exc)
        return render(
            request, "web/accountability/staff.html", _staff_context(actor, staff, refusal_text(exc)), status=exc.status
        )
    messages.success(request, gettext("已撤销问责措施。") if cancel else gettext("已记录问责措施的执行。"))
    return redirect("web:staff_record", username=staff.username)


def _required(field: str) -> ServiceError:
    return ValidationFailed("required", gettext("请填写此项"), field=field)


@login_required
@require_POST
def measure_done(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_done(request, measure_id, cancel=False)


@login_required
@require_POST
def measure_cancel(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_done(request, measure_id, cancel=True)


def _staff_context(actor: Actor, staff: Staff, refused: str = "") -> dict[str, Any]:
    rows = selectors.accountability_for_staff(actor, staff) or []
    today = timezone.localdate(now())
    manage = staff.unit is not None and may_manage_accountability(actor, staff.unit) and actor.id != staff.pk
    return {
        "person": staff,
        "rows": [
            {
                "acc": a,
                "measures": [
                    {
                        "m": m,
                        "overdue": m.state == "ordered" and m.due_date < today,
                        "can_settle": m.state == "ordered" and manage and may_manage_accountability(actor, a.case.unit),
                    }
                    for m in a.measures.all()
                ],
            }
            for a in rows
        ],
        "actions": list(staff.improvement_actions.select_related("issue").order_by("-created_at")[:50])
        if actor.id == staff.pk
        else [],
        "carry_form": f.CarryOutForm(),
        "cancel_form": f.ReasonForm(),
        "refused": refused,
    }


@login_required
def staff_record(request: HttpRequest, username: str) -> HttpResponse:
    """A member of staff's record: their accountability findings, for those entitled only."""
    actor = current_actor(request)
    staff = Staff.objects.select_related("unit", "manager").filter(username=username).first()
    if staff is None:
        return error_page(request, NotFound("not_found", gettext("没有这名员工。")))
    if selectors.accountability_for_staff(actor, staff) is None:
        return error_page(request, PermissionDenied("permission_denied", gettext("您无权查看该员工的问责记录。")))
    return render(request, "web/accountability/staff.html", _staff_context(actor, staff))
