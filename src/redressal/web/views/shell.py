"""The minimal staff shell: login, the case list and the case page (the workbench grows from here)."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from redressal.audit.services import record_audit
from redressal.cases import selectors
from redressal.core.clock import now
from redressal.domain.lifecycle import State
from redressal.org.authz import actor_for
from redressal.org.models import Staff


class StaffLoginView(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        user = self.request.user
        record_audit("auth.login", actor_id=user.pk, object_type="staff", object_id=user.get_username())
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


def _staff(request: HttpRequest) -> Staff:
    user = request.user
    assert isinstance(user, Staff)
    return user


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(_staff(request))
    status = request.GET.get("status", "")[:20]
    q = request.GET.get("q", "")[:100].replace("\x00", "")
    mine = request.GET.get("mine") == "1"
    qs = selectors.case_list(actor, status=status, q=q, assignee=actor.staff.username if mine else "", now=now())
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/case_list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "mine": mine,
            "now": now(),
            "statuses": [state.value for state in State],
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
