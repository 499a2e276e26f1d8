"""The supervisor's and branch head's team page (SPEC §7): queue, workload, assignment, risk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from redressal.cases import selectors_team as team
from redressal.cases.commands import Assign, execute
from redressal.core.clock import now
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.org.authz import Actor
from redressal.org.selectors import all_unit_refs
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page


class AssignForm(forms.Form):
    case_id = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    assignee = forms.CharField(label=_("处理人"), max_length=150)
    reason = forms.CharField(label=_("说明"), max_length=500, required=False)


def _escalations(actor: Actor) -> list[dict[str, Any]]:
    """The escalations received, with the units named (the event records their codes)."""
    names = {code: name for code, (_ref, name) in all_unit_refs().items()}
    return [
        {
            "event": e,
            "from": names.get(e.payload.get("from_unit", ""), e.payload.get("from_unit", "")),
            "to": names.get(e.payload.get("to_unit", ""), e.payload.get("to_unit", "")),
        }
        for e in team.escalations_here(actor)
    ]


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    actor = current_actor(request)
    moment = now()
    unassigned = request.GET.get("unassigned") == "1"
    workload = team.workload(actor, moment)  # one row per team member, in team_members order
    queue = team.team_queue(actor, unassigned=unassigned)
    choices = team.assignee_choices(queue, workload, moment)
    return {
        # Each case with only the people it may be given to, and their load; nobody preselected.
        "queue": [(c, choices[c.pk]) for c in queue],
        "unassigned": unassigned,
        "workload": workload,
        "at_risk": team.at_risk_cases(actor, moment),
        "overdue": team.overdue_cases(actor, moment),
        "escalations": _escalations(actor),
        "priorities": ("P1", "P2", "P3", "P4"),
        "now": moment,
        **extra,
    }


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not actor.has("case.assign"):
        return error_page(request, PermissionDenied("permission_denied", gettext("您没有分派工单的权限。")))
    return render(request, "web/team/team.html", _context(request))


@login_required
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not actor.has("case.assign"):
        return error_page(request, PermissionDenied("permission_denied", gettext("您没有分派工单的权限。")))
    form = AssignForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            assigning = Assign(assignee=form.cleaned_data["assignee"], reason=form.cleaned_data["reason"])
            case = execute(form.cleaned_data["case_id"], assigning, actor)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))
            status = exc.status
        else:
            messages.success(request, gettext("已将 %(case)s 分派给 %(who)s。") % {
                "case": case.case_number, "who": form.cleaned_data["assignee"]})
            return redirect("web:team")
    return render(request, "web/team/team.html", _context(request, assign_form=form), status=status)
