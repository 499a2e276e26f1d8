"""The call pop (SPEC §9): a small panel, polled by every workbench page, showing the agent the caller
of the call they answered — the customer as they may find them, masked, with the open cases they may
read — or, for an unknown caller, a link to the registration form for a hotline case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from redressal.core.errors import ServiceError
from redressal.core.masking import mask_phone
from redressal.cti.services import current_pop, dismiss_pop, pop_view
from redressal.web.views._common import current_actor, error_page


@login_required
@require_GET
def cti_pop(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    pop = current_pop(actor)
    if pop is None:
        return HttpResponse(status=204)  # htmx swaps nothing: the panel stays empty
    shown = pop_view(actor, pop)
    clear = shown["customer"] is not None and actor.has("pii.view", shown["customer"].home_unit)
    phone = pop.phone if clear else mask_phone(pop.phone)
    return render(request, "web/cti/_pop.html", {**shown, "phone": phone})


@login_required
@require_POST
def cti_pop_dismiss(request: HttpRequest, pop_id: int) -> HttpResponse:
    try:
        dismiss_pop(current_actor(request), pop_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return HttpResponse("")
