"""The case page (SPEC §3–5, §8): the whole case, its history and the actions this person may take."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from redressal.cases import page_selectors, selectors
from redressal.cases.contact import may_call, reveal_contact_phone
from redressal.cases.models import Case, Decision, Evidence
from redressal.cases.notice_pdf import render_notice_pdf
from redressal.cases.offers import may_decide
from redressal.core.clock import now
from redressal.core.errors import NotFound, ServiceError
from redressal.customers.scope import may_reveal
from redressal.customers.services import PII_FIELDS, reveal_pii
from redressal.domain.filetypes import HEAD_BYTES, content_matches
from redressal.org.authz import Actor
from redressal.outbox import selectors as outbox_selectors
from redressal.quality.selectors import case_inspections
from redressal.triage import case_view
from redressal.web.views._common import current_actor, error_page
from redressal.web.views.accountability import case_accountability
from redressal.web.views.case_actions import (
    allowed_specs,
    next_step_for,
    unconfirmed_labels,
)
from redressal.web.views.improvement import case_improvement
from redressal.web.views.triage_panel import triage_panel

# What the browser may show inline; anything else (and HTML above all) is downloaded, never rendered.
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "text/plain"}
PII_LABELS = {
    "phone": gettext_lazy("手机号"),
    "id_number": gettext_lazy("证件号"),
    "card_number": gettext_lazy("卡号"),
}


def countdown(due: datetime | None, current: datetime) -> dict[str, Any] | None:
    """Time left to a deadline in days and hours (negative when overdue)."""
    if due is None:
        return None
    seconds = int((due - current).total_seconds())
    overdue = seconds < 0
    left = abs(seconds)
    return {"overdue": overdue, "days": left // 86400, "hours": (left % 86400) // 3600, "due": due}


def case_context(request: HttpRequest, case: Case, actor: Actor, **panel_state: Any) -> dict[str, Any]:
    """The case page; ``panel_state`` (a refused confirmation's errors, …) goes to the triage panel."""
    current = now()
    detail = case_view.case_detail(case, actor, current, with_triage=False)  # the triage panel reads its own
    # Only the actions' names here: each form is fetched when its panel is opened (case_action GET), so
    # the page does not build and render some twenty forms that are rarely all used.
    records = page_selectors.case_records(case)
    specs = allowed_specs(case, actor, records["proposals"])
    open_case = case.closed_at is None and case.decided_at is None
    due = page_selectors.next_deadline(case) if open_case else None
    decisions = records["decisions"]
    authority = page_selectors.authority_info(case, actor, records["proposals"])
    return {
        "case": case,
        "detail": detail,
        "events": selectors.case_events(case, actor),
        "clock_events": page_selectors.clock_events(case),
        "records": records,
        "actions": [{"spec": s} for s in specs],
        "next_step": next_step_for(case, specs),
        "next_deadline": due,
        "countdown": countdown(due.due_at if due else None, current),
        "contact": page_selectors.acceptance_contact(case) if case.accepted_at else None,
        "delivery": page_selectors.notice_delivery(decisions[-1], records["deliveries"]) if decisions else None,
        "unconfirmed": unconfirmed_labels(case) if "respond" in detail["allowed_actions"] else [],
        "authority": authority,
        "beyond_authority": authority["pending"] is not None
        and actor.has("case.approve", case.unit)
        and not may_decide(case, actor, records["proposals"]),
        "triage_panel": triage_panel(case, actor, **panel_state),
        "pii_clear": selectors.pii_clear(actor, case),
        "can_call": case.customer is not None and bool(case.customer.phone) and may_call(actor, case),
        "can_reveal": case.customer is not None and may_reveal(actor, case.customer),
        "can_request_review": case.kind == Case.Kind.PRIMARY
        and "request_review" in detail["allowed_actions"]
        and actor.has("case.request_review", case.unit),
        "pii_fields": [(k, v) for k, v in PII_LABELS.items() if k in PII_FIELDS],
        "amount": case.amount if isinstance(case.amount, Decimal) else None,
        "improvement": case_improvement(actor, case),
        "customer_messages": outbox_selectors.case_messages(case.pk),
        "accountability": case_accountability(actor, case),
        "qa_inspections": case_inspections(actor, case) if case.closed_at else [],
    }


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        case = selectors.readable_case(actor, case_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/case/detail.html", case_context(request, case, actor))


@login_required
@require_POST
def reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show one personal-data field in clear, in place; the service checks pii.view and audits it."""
    actor = current_actor(request)
    field = request.POST.get("field", "")[:20]
    reason = request.POST.get("reason", "")[:500]
    try:
        case = selectors.readable_case(actor, case_id)
        if case.customer_id is None:
            raise NotFound("not_found", "this case has no customer record", field="customer_id")
        value = reveal_pii(int(case.customer_id), field, actor=actor, reason=reason)
    except ServiceError as exc:
        return render(
            request, "web/case/_reveal.html", {"case_id": case_id, "field": field, "error": exc}, status=exc.status
        )
    return render(request, "web/case/_reveal.html", {"case_id": case_id, "field": field, "value": value})


@login_required
@require_POST
def contact_phone(request: HttpRequest, case_id: int) -> HttpResponse:
    """The complainant's phone as a ``tel:`` link, for the case's team; the service checks and audits."""
    actor = current_actor(request)
    try:
        value = reveal_contact_phone(case_id, actor=actor, reason=request.POST.get("reason", "")[:500])
    except ServiceError as exc:
        return render(request, "web/case/_contact_phone.html", {"error": exc}, status=exc.status)
    return render(request, "web/case/_contact_phone.html", {"value": value})


@login_required
@xframe_options_sameorigin
def evidence_file(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponseBase:
    """An evidence file, for people who may read the case. Never rendered as HTML by the browser."""
    actor = current_actor(request)
    try:
        case = selectors.readable_case(actor, case_id)
    except ServiceError as exc:
        return error_page(request, exc)
    ev = Evidence.objects.filter(case=case, pk=evidence_id).first()
    if ev is None:
        return error_page(request, NotFound("not_found", _("证据不存在")))
    handle = ev.file.open("rb")
    # Shown in the browser only when the stored bytes are what the type says (files stored before
    # uploads were checked included); anything else is a download.
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    inline = (
        ev.content_type in INLINE_TYPES
        and request.GET.get("download") != "1"
        and content_matches(ev.content_type, head)
    )
    response = FileResponse(handle, as_attachment=not inline, filename=ev.filename, content_type=ev.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Framed only by our own page (the inline preview). Everything but a PDF is also sandboxed, so even
    # a file that slipped through as markup runs no script; Chromium refuses to show a PDF in a sandbox.
    policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    response["Content-Security-Policy"] = policy if ev.content_type == "application/pdf" else f"sandbox; {policy}"
    return response


@login_required
def notice_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The latest decision notice of the case as a PDF (Chinese fonts embedded)."""
    actor = current_actor(request)
    try:
        case = selectors.readable_case(actor, case_id)
    except ServiceError as exc:
        return error_page(request, exc)
    decision = Decision.objects.filter(case=case).select_related("decided_by").order_by("-pk").first()
    if decision is None:
        return error_page(request, NotFound("not_found", _("该工单尚无处理决定")))
    response = HttpResponse(render_notice_pdf(case, decision), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.case_number}-notice.pdf"'
    return response
