"""The top navigation: each entry names a URL and the permissions that make it useful.

An entry is shown when the user holds any of its permissions and its URL exists, so a role
sees only the pages it can use (the server still checks every request).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from redressal.domain.roles import ADMINISTRATION
from redressal.mailin.services import may_manage
from redressal.notify.inbox import unread_count
from redressal.org.authz import Actor
from redressal.web.views._common import current_actor


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    any_of: frozenset[str]
    # A page whose permission counts over one unit only (the mailbox: over the intake unit).
    shown: Callable[[Actor], bool] | None = None


NAV: tuple[NavEntry, ...] = (
    NavEntry("web:register", pgettext_lazy("nav", "登记"), frozenset({"case.register"})),
    NavEntry("web:queue", _("我的工单"), frozenset({"case.accept", "case.investigate"})),
    NavEntry("web:case_list", _("全部工单"), frozenset({"case.read"})),
    NavEntry("web:team", _("团队"), frozenset({"case.assign"})),
    NavEntry("web:approvals", _("审批"), frozenset({"case.approve", "case.approve_extension.l1",
                                                     "case.approve_extension.l2"})),
    NavEntry("web:reviews", _("核查"), frozenset({"case.review", "case.request_review"})),
    NavEntry("web:visits", _("回访"), frozenset({"case.visit"})),
    NavEntry("web:mass_incidents", _("群体性事件"), frozenset({"case.review"})),
    NavEntry("web:improvement", _("溯源整改"), frozenset({"improvement.read"})),
    NavEntry("web:library", _("案例库"), frozenset({"library.read"})),
    NavEntry("web:training", _("培训考核"), frozenset({"library.read", "training.manage", "training.read"})),
    NavEntry("web:tasks", _("协办任务"), frozenset({"task.read", "task.reply", "case.task"})),
    NavEntry("web:qa_inspections", _("质检"), frozenset({"qa.inspect"})),
    NavEntry("web:qa_mine", _("质检结果"), frozenset({"case.accept", "qa.decide_appeal"})),
    NavEntry("web:qa_scorecards", _("考核"), frozenset({"case.accept", "quality.scorecard.team",
                                                     "quality.scorecard.unit"})),
    NavEntry("web:qa_settings", _("质检设置"), frozenset({"qa.configure"})),
    NavEntry("web:dashboard", _("统计看板"), frozenset({"case.assign", "report.regulatory", "case.review"})),
    NavEntry("web:regulatory", _("监管报表"), frozenset({"report.regulatory"})),
    NavEntry("web:audit", _("审计"), frozenset({"audit.read"})),
    # The sent messages and dead letters: in the bar for those who can send one again (readers of
    # cases open /outbox/ by its address, scoped to their units).
    NavEntry("web:outbox", _("客户消息"), frozenset({"outbox.retry", "outbox.read"})),
    NavEntry("web:admin_home", _("系统管理"), ADMINISTRATION),
    NavEntry("web:transfers", _("监管转办导入"), frozenset({"transfers.import"})),
    NavEntry("web:conversations", _("客户会话"), frozenset({"conversation.read"})),
    NavEntry("web:mail", _("来信邮箱"), frozenset({"mail.manage"}), may_manage),
    NavEntry("web:faq", _("知识库"), frozenset({"faq.edit", "faq.publish"})),
)


def nav_for(request: HttpRequest) -> list[dict[str, object]]:
    user = request.user
    if not user.is_authenticated:
        return []
    actor = current_actor(request)
    held = {perm for perm in (p for e in NAV for p in e.any_of) if actor.has(perm)}
    entries = []
    for entry in NAV:
        if not entry.any_of & held or (entry.shown is not None and not entry.shown(actor)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # that page is not part of this build
            continue
        entries.append({"url": url, "label": str(entry.label), "active": request.path.startswith(url) and url != "/"})
    return entries


def navigation(request: HttpRequest) -> dict[str, object]:
    """Template context processor."""
    return {"nav": nav_for(request)}


def workbench(request: HttpRequest) -> dict[str, object]:
    """Template context processor: the header's unread-notification count (one indexed COUNT on
    ``notif_inbox_idx``) and the idle timeout the page's script warns about."""
    out: dict[str, object] = {"idle_seconds": settings.SESSION_IDLE_TIMEOUT}
    user = request.user
    if user.is_authenticated:
        out["unread_count"] = unread_count(int(user.pk))
    return out
