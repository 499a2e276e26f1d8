"""The signed-in person's own account: changing their password (also the forced change after a reset)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import password_validation, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from redressal.org.password_resets import change_own_password
from redressal.web.forms.account import OwnPasswordForm
from redressal.web.views._common import current_staff


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    staff = current_staff(request)
    forced = staff.must_change_password
    form = OwnPasswordForm(staff, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_own_password(staff, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, staff)  # this session stays signed in; the others end
        messages.success(request, gettext("密码已修改。"))
        return redirect("web:case_list")
    return render(request, "web/account/password.html", {
        "form": form, "forced": forced, "rules": password_validation.password_validators_help_texts(),
    })
