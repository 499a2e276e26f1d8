"""The sent-messages page (/outbox/): what went, or in demo mode would have gone, to customers; what
is waiting; the dead letters, with a retry for those allowed (SPEC §10). Scoped to the viewer's units;
the text is masked for those without ``pii.view``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from redressal.core.errors import PermissionDenied, ServiceError
from redressal.core.masking import mask_text
from redressal.outbox import selectors
from redressal.outbox.services import retry_dead_letter
from redressal.web.views._common import current_actor, error_page

PAGE_SIZE = 50


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not selectors.can_see(actor):
        return error_page(request, PermissionDenied("permission_denied", "missing permission 'case.read'"))
    state = request.GET.get("state", "sent")
    state = state if state in selectors.LIST_STATES else "sent"
    page = Paginator(selectors.messages(actor, state), PAGE_SIZE).get_page(request.GET.get("page"))
    clear = actor.has("pii.view")
    rows = [
        {"m": m, "text": m.body if clear else mask_text(m.body), "can_retry": actor.has("outbox.retry", m.case.unit)}
        for m in page
    ]
    return render(request, "web/outbox/list.html", {"rows": rows, "page": page, "state": state})


@login_required
@require_POST
def outbox_retry(request: HttpRequest, message_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        retry_dead_letter(actor, message_id, reason=request.POST.get("reason", "").strip())
    except ServiceError as exc:
        return error_page(request, exc)
    return redirect(reverse("web:outbox") + "?state=waiting")
