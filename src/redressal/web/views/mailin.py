"""The complaint mailbox page (/mail/): the quarantined messages — what was wrong, kept whole — with a
retry and a dismiss for those who manage the mailbox (``mail.manage``), and every message fetched, with
what it became (SPEC §9). Sender and subject are masked for those without ``pii.view``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from redressal.core.errors import ServiceError
from redressal.core.masking import mask_email, mask_text
from redressal.mailin import selectors
from redressal.mailin.services import REASONS, dismiss_mail, retry_mail
from redressal.web.views._common import current_actor, error_page

PAGE_SIZE = 50


@login_required
def mail_page(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    state = request.GET.get("state", "quarantined")
    state = state if state in selectors.LIST_STATES else "quarantined"
    try:
        mails = selectors.inbound_mails(actor, state)
    except ServiceError as exc:
        return error_page(request, exc)
    page = Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page"))
    clear = actor.has("pii.view")
    rows = [
        {
            "m": m,
            "sender": m.sender if clear else mask_email(m.sender),
            "subject": m.subject if clear else mask_text(m.subject),
            "reason": REASONS.get(m.reason, ""),
        }
        for m in page
    ]
    return render(request, "web/mailin/list.html", {"rows": rows, "page": page, "state": state})


@login_required
@require_POST
def mail_retry(request: HttpRequest, mail_id: int) -> HttpResponse:
    try:
        retry_mail(current_actor(request), mail_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return redirect(reverse("web:mail") + "?state=all")


@login_required
@require_POST
def mail_dismiss(request: HttpRequest, mail_id: int) -> HttpResponse:
    try:
        dismiss_mail(current_actor(request), mail_id, reason=request.POST.get("reason", "").strip())
    except ServiceError as exc:
        return error_page(request, exc)
    return redirect(reverse("web:mail"))
