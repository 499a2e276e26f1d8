"""The administrator's workbench (SPEC §1 ``admin``): links into the administration site, the calendar
alert, and read-only views of the versioned configuration — JR/T 0169 code tables, policy profiles
(deadlines, authority limits) and the decision-notice wording rules. No case content here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from redressal.core.clock import now
from redressal.core.errors import PermissionDenied
from redressal.domain.codes import AXES, CURRENT_VERSION, load_codes
from redressal.domain.lifecycle import CHALLENGE_ROUTES
from redressal.domain.profiles import available_profiles, load_profile
from redressal.org.admin_site import ADMIN_PERMISSIONS
from redressal.org.authz import Actor
from redressal.web.labels import ROUTE_LABELS
from redressal.web.views._common import current_actor, error_page
from redressal.workdays.services import unconfirmed_upcoming_years

AXIS_LABELS = {"A": _("A 投诉渠道"), "B": _("B 业务类别"), "C": _("C 投诉原因")}


def _require_admin(actor: Actor) -> None:
    if not any(actor.has(p) for p in ADMIN_PERMISSIONS):
        raise PermissionDenied("permission_denied", gettext("仅系统管理员可访问。"))


def _guarded(request: HttpRequest) -> tuple[Actor, HttpResponse | None]:
    actor = current_actor(request)
    try:
        _require_admin(actor)
    except PermissionDenied as exc:
        return actor, error_page(request, exc)
    return actor, None


@login_required
def admin_home(request: HttpRequest) -> HttpResponse:
    actor, refused = _guarded(request)
    if refused:
        return refused
    today = now().astimezone(load_profile("CN-2020-3").tz).date()
    links: list[dict[str, Any]] = []
    if actor.has("admin.org"):
        links.append({"url": "/admin/org/orgunit/", "label": _("机构树"), "id": "admin-orgunit"})
    if actor.has("admin.users"):
        links += [{"url": "/admin/org/staff/", "label": _("员工"), "id": "admin-staff"},
                  {"url": "/admin/org/roleassignment/", "label": _("角色授权"), "id": "admin-roles"},
                  {"url": "/admin/org/rolegrantrequest/?status__exact=pending", "label": _("待批准的角色授权申请"),
                   "id": "admin-role-requests"}]
    if actor.has("admin.calendar"):
        links += [{"url": "/admin/workdays/calendarday/", "label": _("节假日与调休"), "id": "admin-calendar-days"},
                  {"url": "/admin/workdays/calendaryear/", "label": _("日历年度"), "id": "admin-calendar-years"}]
    return render(request, "web/admin/home.html", {
        "links": links,
        "unconfirmed_years": unconfirmed_upcoming_years(today) if actor.has("admin.calendar") else [],
        "code_version": CURRENT_VERSION,
        "profiles": available_profiles(),
    })


@login_required
def code_tables(request: HttpRequest) -> HttpResponse:
    _actor, refused = _guarded(request)
    if refused:
        return refused
    table = load_codes(CURRENT_VERSION)
    lang = get_language() or "zh-hans"
    axes = []
    for axis in AXES:
        rows = sorted(table.axis(axis), key=lambda c: c.code)
        axes.append({
            "axis": axis,
            "label": AXIS_LABELS.get(axis, axis),
            "rows": [{"code": c.code, "parent": c.parent, "label": c.label(lang), "top": not c.parent}
                     for c in rows],
        })
    return render(request, "web/admin/codes.html", {"version": table.version, "axes": axes})


@login_required
def profiles(request: HttpRequest) -> HttpResponse:
    _actor, refused = _guarded(request)
    if refused:
        return refused
    shown = [load_profile(code) for code in available_profiles()]
    return render(request, "web/admin/profiles.html", {"profiles": shown})


@login_required
def notice_rules(request: HttpRequest) -> HttpResponse:
    _actor, refused = _guarded(request)
    if refused:
        return refused
    routes = [{"code": r, "label": ROUTE_LABELS.get(r, r)} for r in CHALLENGE_ROUTES]
    return render(request, "web/admin/notices.html", {"routes": routes})
