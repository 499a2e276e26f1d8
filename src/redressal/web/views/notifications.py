"""The notification centre (SPEC §10, in-app): the staff member's own notifications, marked read
one by one or all at once, each linking to its case; and the header badge htmx polls."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from redressal.core.clock import now
from redressal.notify import inbox
from redressal.notify.models import StaffNotification
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
    "improvement_action": _("整改措施"),
    "improvement_due": _("整改措施即将到期"),
    "improvement_overdue": _("整改措施已逾期"),
    "qa_result": _("质检结果"),
    "qa_calibration": _("质检校准"),
    "qa_appeal": _("质检申诉"),
    "qa_appeal_decided": _("申诉裁定"),
}


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    staff = current_staff(request)
    unread_only = request.GET.get("unread") == "1"
    before = inbox.parse_cursor(request.GET.get("before", ""))
    items = inbox.inbox(staff.pk, unread_only=unread_only, before=before, limit=inbox.PAGE + 1)
    more = len(items) > inbox.PAGE
    items = items[: inbox.PAGE]
    moment = now()
    return render(
        request, "web/notifications/list.html",
        {
            "groups": _by_case(items, moment),
            "unread_only": unread_only,
            "next_before": inbox.cursor(items[-1]) if more and items else None,
        },
    )


def _by_case(items: list[StaffNotification], moment: datetime) -> list[dict[str, Any]]:
    """The page's notifications grouped by case, the group with the newest first; each group newest
    first. A notification about no case is a group of its own."""
    groups: dict[object, dict[str, Any]] = {}
    for n in items:
        group = groups.setdefault(n.case_id or ("none", n.pk), {"case": n.case, "kind": n.kind, "rows": []})
        group["rows"].append(
            {
                "n": n,
                "kind_label": KIND_LABELS.get(n.kind, n.kind),
                "text": notification_text(n.kind, n.payload, at=n.created_at, now=moment),
            }
        )
    return list(groups.values())


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
