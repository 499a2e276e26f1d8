"""The approvals inbox (SPEC §5, §8): extension requests by level and compensation above the
proposer's limit, each approved or rejected with a reason by the existing services."""

from __future__ import annotations

from collections.abc import Callable
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
from redressal.cases.models import Case
from redressal.cases.services import approve_proposal, reject_proposal
from redressal.cases.services.extension_requests import approve_extension_request, reject_extension_request
from redressal.core.errors import ServiceError
from redressal.org.authz import Actor
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page


class DecisionForm(forms.Form):
    case_id = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("同意")), ("reject", _("驳回"))])
    reason = forms.CharField(label=_("审批意见"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not str(data.get("reason", "")).strip():
            self.add_error("reason", _("驳回时须说明理由。"))
        return data


def _context(actor: Actor, **extra: Any) -> dict[str, Any]:
    return {
        "proposals": team.pending_proposals(actor),
        "extensions": team.pending_extensions(actor),
        "can_l2": actor.has("case.approve_extension.l2"),
        **extra,
    }


def _guard(request: HttpRequest) -> tuple[Actor, HttpResponse | None]:
    actor = current_actor(request)
    try:
        team.require_approver(actor)
    except ServiceError as exc:
        return actor, error_page(request, exc)
    return actor, None


@login_required
def approvals_page(request: HttpRequest) -> HttpResponse:
    actor, refused = _guard(request)
    if refused:
        return refused
    return render(request, "web/approvals/inbox.html", _context(actor))


def _decide(request: HttpRequest, kind: str, approve: Callable[..., Case], reject: Callable[..., Case]) -> HttpResponse:
    actor, refused = _guard(request)
    if refused:
        return refused
    form = DecisionForm(request.POST)
    status = 422
    if form.is_valid():
        case_id, reason = form.cleaned_data["case_id"], form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == "approve":
                case = approve(case_id, actor=actor, reason=reason)
                text = gettext("%(case)s 已审批通过。")
            else:
                case = reject(case_id, actor=actor, reason=reason)
                text = gettext("%(case)s 已驳回。")
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))
            status = exc.status
        else:
            messages.success(request, text % {"case": case.case_number})
            return redirect("web:approvals")
    context = _context(actor, form=form, form_kind=kind, failed_case=request.POST.get("case_id"))
    return render(request, "web/approvals/inbox.html", context, status=status)


@login_required
@require_POST
def decide_proposal(request: HttpRequest) -> HttpResponse:
    return _decide(request, "proposal", approve_proposal, reject_proposal)


@login_required
@require_POST
def decide_extension(request: HttpRequest) -> HttpResponse:
    return _decide(request, "extension", approve_extension_request, reject_extension_request)
