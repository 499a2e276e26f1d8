"""The notification centre (SPEC §10, in-app): the staff member's own notifications, marked read
one by one or all at once, each linking to its case; and the header badge htmx polls."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from redressal.notify import inbox
from redressal.web.notification_text import notification_text
from redressal.web.views._common import current_staff, is_htmx

KIND_LABELS = {
    "deadline_warning": _("时限预警"),
    "deadline_breach": _("已超时"),
    "assignment": _("分派"),
    "approval": _("待审批"),
    "approval_result": _("审批结果"),
    "task": _("协办任务"),
    "task_reply": _("协办回复"),
    "escalation": _("升级"),
    "review": _("核查申请"),
    "review_decided": _("核查决定"),
    "visit_dissatisfied": _("回访不满意"),
    "routing_unassigned": _("无可分派人员"),
    "mass_incident": _("群体性事件"),
    "calendar_unconfirmed": _("节假日未确认"),
}


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    staff = current_staff(request)
    unread_only = request.GET.get("unread") == "1"
    before_raw = request.GET.get("before", "")
    before = int(before_raw) if before_raw.isdigit() and len(before_raw) < 19 else None
    items = inbox.inbox(staff.pk, unread_only=unread_only, before=before, limit=inbox.PAGE + 1)
    more = len(items) > inbox.PAGE
    items = items[: inbox.PAGE]
    rows = [
        {"n": n, "kind_label": KIND_LABELS.get(n.kind, n.kind), "text": notification_text(n.kind, n.payload)}
        for n in items
    ]
    return render(
        request, "web/notifications/list.html",
        {"rows": rows, "unread_only": unread_only, "next_before": items[-1].pk if more and items else None},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    staff = current_staff(request)
    inbox.mark_read(staff.pk, notification_id)
    if is_htmx(request):
        return badge(request)
    nxt = request.POST.get("next", "")
    return redirect(nxt) if nxt.startswith("/") and not nxt.startswith("//") else redirect("web:notifications")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    staff = current_staff(request)
    n = inbox.mark_all_read(staff.pk)
    messages.success(request, gettext("已将 %(n)s 条通知标为已读。") % {"n": n})
    return redirect("web:notifications")


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    """The header badge alone (htmx polls it; the request is passive for the idle timeout)."""
    count = inbox.unread_count(current_staff(request).pk)
    return render(request, "web/notifications/_badge.html", {"unread_count": count})


@login_required
@require_POST
def session_ping(request: HttpRequest) -> JsonResponse:
    """"Stay signed in": the person asked, so the idle timer restarts now (not at the middleware's
    coarser granularity)."""
    request.session["last_seen"] = int(time.time())
    return JsonResponse({"ok": True})
