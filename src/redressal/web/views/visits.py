"""Follow-up visits (回访, SPEC §4): today's due and overdue visits, and recording a visit's result.

The result feeds satisfaction through the visit service (a low score alerts the supervisor).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from redressal.cases import page_selectors
from redressal.cases import services as svc
from redressal.cases.models import FollowUpVisit
from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ServiceError
from redressal.web.forms.case_reviews import VisitForm
from redressal.web.views._common import current_actor, error_page, is_htmx


def _today(request: HttpRequest) -> date:
    return now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not actor.scope_paths("case.visit"):
        return error_page(request, PermissionDenied("permission_denied", "missing permission 'case.visit'"))
    today = _today(request)
    visits = page_selectors.due_visits(actor, today)
    rows = [{"visit": v, "form": VisitForm(prefix=f"v{v.pk}"), "overdue": v.due_date < today} for v in visits]
    done = page_selectors.done_visits(actor, now() - timedelta(days=7))
    return render(request, "web/visits/list.html", {"rows": rows, "done": done, "today": today})


@login_required
@require_POST
def record(request: HttpRequest, visit_id: int) -> HttpResponse:
    actor = current_actor(request)
    visit = FollowUpVisit.objects.select_related("case", "case__unit").filter(pk=visit_id).first()
    form = VisitForm(request.POST, prefix=f"v{visit_id}")
    status = 200
    if visit is None:
        return error_page(request, NotFound("not_found", "visit not found"))
    if not actor.has("case.visit", visit.case.unit):
        return error_page(request, PermissionDenied("permission_denied", "missing permission 'case.visit'"))
    if form.is_valid():
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
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
        else:
            if is_htmx(request):
                visit.refresh_from_db()
                return render(request, "web/visits/_row.html", {"row": {"visit": visit, "form": None}})
            return redirect("web:visits")
    else:
        status = 422
    row = {"visit": visit, "form": form, "overdue": visit.due_date < _today(request)}
    return render(request, "web/visits/_row.html", {"row": row}, status=status)
