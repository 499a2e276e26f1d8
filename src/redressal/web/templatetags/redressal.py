"""Labels for codes shown on pages, translated (the API keeps the codes)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from redressal.core.masking import mask_text
from redressal.domain.choices import DEMANDS, at_most
from redressal.org.models import ROLE_LABELS
from redressal.web.labels import DEMAND_LABELS, OUTCOME_LABELS, REVIEW_OUTCOME_LABELS

register = template.Library()

STATE_LABELS = {
    "registered": _("已登记"),
    "accepted": _("已受理"),
    "investigating": _("调查中"),
    "pending_approval": _("待审批"),
    "responded": _("已答复"),
    "closed": _("已办结"),
    "withdrawn": _("已撤诉"),
    "declined": _("不予受理"),
    "merged": _("已合并"),
}
DEADLINE_LABELS = {
    "acknowledge": _("登记确认"),
    "first_contact": _("首次联系"),
    "decision": _("处理决定并告知"),
    "review_decision": _("核查决定"),
    "regulator_reply": _("答复监管转办"),
}
DEADLINE_STATE_LABELS = {
    "running": _("计时中"),
    "paused": _("已中止"),
    "met": _("按时完成"),
    "breached": _("已超时"),
    "stopped": _("已停止"),
}
EVENT_LABELS = {
    "registered": pgettext_lazy("event", "登记"),
    "accepted": pgettext_lazy("event", "受理"),
    "assigned": pgettext_lazy("event", "分派"),
    "investigation_started": pgettext_lazy("event", "开始调查"),
    "note_added": pgettext_lazy("event", "调查记录"),
    "evidence_added": pgettext_lazy("event", "上传证据"),
    "task_opened": pgettext_lazy("event", "发起协办"),
    "task_replied": pgettext_lazy("event", "协办回复"),
    "responsibility_set": pgettext_lazy("event", "责任认定"),
    "solution_proposed": pgettext_lazy("event", "提出解决方案"),
    "solution_approved": pgettext_lazy("event", "方案审批通过"),
    "solution_rejected": pgettext_lazy("event", "方案被驳回"),
    "responded": pgettext_lazy("event", "答复客户"),
    "closed": pgettext_lazy("event", "办结"),
    "reopened": pgettext_lazy("event", "重新处理"),
    "extended": pgettext_lazy("event", "延期"),
    "paused": pgettext_lazy("event", "中止计时"),
    "resumed": pgettext_lazy("event", "恢复计时"),
    "clock_restarted": pgettext_lazy("event", "重新计算时限"),
    "withdrawn": pgettext_lazy("event", "撤诉"),
    "declined": pgettext_lazy("event", "不予受理"),
    "merged": pgettext_lazy("event", "合并"),
    "merge_received": pgettext_lazy("event", "合并来件"),
    "correspondence_received": pgettext_lazy("event", "客户来函"),
    "extension_requested": pgettext_lazy("event", "申请延期"),
    "extension_rejected": pgettext_lazy("event", "延期申请被驳回"),
    "escalated": pgettext_lazy("event", "升级"),
    "review_requested": pgettext_lazy("event", "申请核查"),
    "answered": pgettext_lazy("event", "答复并办结"),
    "visit_recorded": pgettext_lazy("event", "回访"),
    "deadline_breached": pgettext_lazy("event", "超时"),
    "triaged": pgettext_lazy("event", "智能分诊"),
    "classification_confirmed": pgettext_lazy("event", "确认分类"),
    "risk_flag_added": pgettext_lazy("event", "标记风险"),
}


@register.filter
def state_label(value: str) -> Any:
    return STATE_LABELS.get(value, value)


@register.filter
def deadline_label(value: str) -> Any:
    return DEADLINE_LABELS.get(value, value)


@register.filter
def deadline_state_label(value: str) -> Any:
    return DEADLINE_STATE_LABELS.get(value, value)


@register.filter
def event_label(value: str) -> Any:
    return EVENT_LABELS.get(value, value)


DEADLINE_MOVE_LABELS = {"pause": _("中止计时后顺延"), "restart": _("重新计算时限")}
EXTENSION_LEVEL = re.compile(r"extension_l(\d+)")


@register.filter
def deadline_move(value: str) -> Any:
    """Why a deadline moved (the domain's history codes ``extension_l1``, ``pause``, ``restart``)."""
    m = EXTENSION_LEVEL.fullmatch(value or "")
    if m:
        return gettext("第 %(level)s 级延期") % {"level": m.group(1)}
    return DEADLINE_MOVE_LABELS.get(value, value)


# The system audit events (``record_audit`` types), as auditors read them.
AUDIT_LABELS = {
    "auth.login": _("登录系统"),
    "auth.token_issued": _("签发 API 令牌"),
    "auth.token_revoked": _("吊销 API 令牌"),
    "audit.case_trail_viewed": _("查看工单审计轨迹"),
    "admin.staff_created": _("创建员工账号"),
    "admin.add": _("后台新增记录"),
    "admin.change": _("后台修改记录"),
    "admin.delete": _("后台删除记录"),
    "admin.role_grant_requested": _("申请角色授权"),
    "admin.role_grant_approved": _("批准角色授权"),
    "admin.role_grant_rejected": _("驳回角色授权"),
    "export.xlsx": _("导出 XLSX 文件"),
    "pii.reveal": _("查看个人信息明文"),
    "library.entry_created": _("标记典型案例"),
    "library.entry_edited": _("编辑案例草稿"),
    "library.entry_submitted": _("提交案例审核"),
    "library.entry_returned": _("退回案例修改"),
    "library.entry_published": _("发布案例"),
    "library.entry_withdrawn": _("撤回案例"),
    "training.course_created": _("创建培训课程"),
    "training.course_entries_set": _("设置课程关联案例"),
    "training.session_added": _("添加培训场次"),
    "training.enrolled": _("培训报名"),
    "training.result_recorded": _("记录出勤和成绩"),
}
# The case fields a service's before/after records (``cases.services.projection.TRACKED``).
FIELD_LABELS = {
    "status": _("状态"),
    "assignee_id": _("经办人"),
    "unit_id": _("承办机构"),
    "priority": _("优先级"),
    "extension_level": _("延期级别"),
    "paused": _("时限中止"),
    "outcome": _("处理结果"),
    "merged_into_id": _("合并至工单"),
    "accepted_at": _("受理时间"),
    "decided_at": _("决定时间"),
    "notified_at": _("告知时间"),
    "closed_at": _("办结时间"),
}


@register.filter
def audit_label(value: str) -> Any:
    return AUDIT_LABELS.get(value, value)


@register.filter
def field_label(value: str) -> Any:
    return FIELD_LABELS.get(value, value)


@register.simple_tag
def change_value(value: Any, field: str, case: Any = None, names: Mapping[str, Mapping[Any, Any]] | None = None) -> Any:
    """One side of a recorded change, shown as a label (a state, an outcome, a moment in Asia/Shanghai,
    yes/no, the person, unit or case an id names, from ``names``); a review's outcome in the review's
    words (``upheld`` there keeps the original decision)."""
    if value is None or value == "":
        return "—"
    named = (names or {}).get(field)
    if named is not None and value in named:
        return unit_name(named[value]) if field == "unit_id" else named[value]
    if field == "status":
        return STATE_LABELS.get(value, value)
    if field == "outcome":
        review = getattr(case, "kind", "") == "review"
        return (REVIEW_OUTCOME_LABELS if review else OUTCOME_LABELS).get(value, value)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, str) and field.endswith("_at"):
        try:
            return iso_local(value)
        except ValueError:
            return value
    return value


@register.filter
def demand_labels(values: list[str]) -> str:
    shown = at_most(values, len(DEMANDS)) if values else []
    return "、".join(str(DEMAND_LABELS.get(v, v)) for v in shown) if shown else "—"


@register.filter
def role_label(value: str) -> Any:
    return ROLE_LABELS.get(value, value)


@register.filter
def unit_name(unit: Any) -> str:
    """A unit's name in the reader's language: ``name_en`` in English where it is set, else ``name``."""
    if unit is None or unit == "":
        return "—"
    name = str(getattr(unit, "name", unit))
    english = getattr(unit, "name_en", "")
    return english if english and (get_language() or "").startswith("en") else name


@register.filter
def role_labels(values: list[str]) -> str:
    return "、".join(str(ROLE_LABELS.get(v, v)) for v in values) if values else "—"


def local_moment(value: datetime | str) -> datetime:
    """A stored moment (an aware datetime, or its ISO text as payloads keep it, often in UTC) in the
    bank's time zone; a naive one is taken as already local."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


@register.filter
def iso_local(value: datetime | str | None) -> str:
    """A moment as staff read it, in Asia/Shanghai whatever zone it was stored in. Midnight is shown as
    24:00 of the day before: a deadline "ends at 24:00 of the last day" (Civil Code Art 201 counting),
    and 10-16 00:00 reads like a day too late."""
    if value is None or value == "":
        return "—"
    moment = local_moment(value)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return f"{(moment - timedelta(days=1)):%Y-%m-%d} 24:00"
    return moment.strftime("%Y-%m-%d %H:%M")


@register.simple_tag(takes_context=True)
def query_with(context: Any, **kwargs: Any) -> str:
    params = context["request"].GET.copy()
    for k, v in kwargs.items():
        params[k] = v
    return str(params.urlencode())


@register.filter
def due_local(value: datetime | None) -> str:
    return iso_local(value)


@register.filter
def pii_text(value: str | None, clear: bool) -> str:
    """Free text as this reader may see it: ID, phone and card numbers masked unless ``clear`` (the
    view's ``pii_clear``, i.e. pii.view over the case's unit; SPEC §13)."""
    return (value or "") if clear else mask_text(value)
