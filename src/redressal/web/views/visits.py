"""Follow-up visits (回访, SPEC §4): a filtered, paged list, and one visit's result recorded in a form
that opens on the row it belongs to (or on a page of its own without JavaScript).

The result feeds satisfaction through the visit service (a low score alerts the supervisor).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from redressal.cases import page_selectors
from redressal.cases import services as svc
from redressal.cases.models import FollowUpVisit
from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ServiceError
from redressal.org.authz import Actor
from redressal.web.forms.case_reviews import VisitForm
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page, is_htmx

PAGE_SIZE = 25


def _today() -> date:
    return now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...]) -> str:
    value = request.GET.get(name, allowed[0])
    return value if value in allowed else allowed[0]


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not actor.scope_paths("case.visit"):
        return error_page(request, PermissionDenied("permission_denied", "missing permission 'case.visit'"))
    today = _today()
    status = _choice(request, "status", page_selectors.VISIT_STATUSES)
    window = _choice(request, "due", page_selectors.VISIT_WINDOWS)
    mandatory = request.GET.get("mandatory") == "1"
    visits = page_selectors.visit_queryset(actor, today, status=status, window=window, mandatory=mandatory)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/visits/list.html",
        {
            "rows": [{"visit": v, "overdue": v.status == "pending" and v.due_date < today} for v in page],
            "page": page,
            "today": today,
            "status": status,
            "window": window,
            "mandatory": mandatory,
        },
    )


def _visit(actor: Actor, visit_id: int) -> FollowUpVisit:
    visit = FollowUpVisit.objects.select_related("case", "case__unit", "case__assignee").filter(pk=visit_id).first()
    if visit is None:
        raise NotFound("not_found", "visit not found")
    if not actor.has("case.visit", visit.case.unit):
        raise PermissionDenied("permission_denied", "missing permission 'case.visit'")
    return visit


def _render_form(request: HttpRequest, visit: FollowUpVisit, form: VisitForm, status: int = 200) -> HttpResponse:
    row: dict[str, Any] = {"visit": visit, "form": form, "overdue": visit.due_date < _today()}
    template = "web/visits/_row.html" if is_htmx(request) else "web/visits/record.html"
    return render(request, template, {"row": row}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, visit_id: int) -> HttpResponse:
    """GET opens the form (on its row with htmx); POST records the result."""
    actor = current_actor(request)
    try:
        visit = _visit(actor, visit_id)
    except ServiceError as exc:
        return error_page(request, exc)
    if request.method == "GET":
        if visit.status != "pending":
            return redirect("web:visits")
        return _render_form(request, visit, VisitForm(prefix=f"v{visit_id}"))
    form = VisitForm(request.POST, prefix=f"v{visit_id}")
    if not form.is_valid():
        return _render_form(request, visit, form, status=422)
    d = form.cleaned_data
    try:
        svc.record_visit(
            visit_id,
            actor=actor,
            channel=d["channel"],
            reached=bool(d["reached"]),
            satisfaction=d.get("satisfaction"),
            comments=d.get("comments", ""),
        )
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))
        return _render_form(request, visit, form, status=exc.status)
    if is_htmx(request):
        visit.refresh_from_db()
        return render(request, "web/visits/_row.html", {"row": {"visit": visit, "form": None}})
    return redirect("web:visits")
