"""Sign-in, sign-out and the health check: the parts of the workbench every role shares."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from redressal.audit.services import record_audit


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


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
