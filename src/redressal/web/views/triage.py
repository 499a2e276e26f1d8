"""The triage panel of the case page (SPEC §6): each suggestion with its confidence and model version
beside what staff confirmed, the flags with their evidence, the priority's factors, duplicate
candidates and mass incidents — and, for those ``confirm_classification`` lets, confirming or
correcting each axis in place (htmx). Every form sends the case version it was rendered with; a
change made meanwhile is refused (409) and the panel shown afresh."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
from redressal.web.forms.triage import ConfirmClassificationForm
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, is_htmx
from redressal.web.views.case import case_context
from redressal.web.views.case_actions import allowed_specs, next_step_for, unconfirmed_labels
from redressal.web.views.triage_panel import CONFIRM_PERMISSION, triage_panel


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
