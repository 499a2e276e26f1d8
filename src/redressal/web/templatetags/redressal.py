"""Labels for codes shown on pages, translated (the API keeps the codes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
}
DEADLINE_STATE_LABELS = {
    "running": _("计时中"),
    "paused": _("已中止"),
    "met": _("按时完成"),
    "breached": _("已超时"),
    "stopped": _("已停止"),
}
EVENT_LABELS = {
    "registered": _("登记"),
    "accepted": _("受理"),
    "assigned": _("分派"),
    "investigation_started": _("开始调查"),
    "note_added": _("调查记录"),
    "evidence_added": _("上传证据"),
    "task_opened": _("发起协办"),
    "task_replied": _("协办回复"),
    "responsibility_set": _("责任认定"),
    "solution_proposed": _("提出解决方案"),
    "solution_approved": _("方案审批通过"),
    "solution_rejected": _("方案被驳回"),
    "responded": _("答复客户"),
    "closed": _("办结"),
    "reopened": _("重新处理"),
    "extended": _("延期"),
    "paused": _("中止计时"),
    "resumed": _("恢复计时"),
    "clock_restarted": _("重新计算时限"),
    "withdrawn": _("撤诉"),
    "declined": _("不予受理"),
    "merged": _("合并"),
    "merge_received": _("合并来件"),
    "extension_requested": _("申请延期"),
    "extension_rejected": _("延期申请被驳回"),
    "escalated": _("升级"),
    "review_requested": _("申请核查"),
    "answered": _("答复并办结"),
    "visit_recorded": _("回访"),
    "deadline_breached": _("超时"),
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


DEMAND_LABELS = {
    "refund": _("退款"),
    "compensation": _("赔偿"),
    "apology": _("道歉"),
    "explanation": _("解释说明"),
    "correct_record": _("更正记录"),
    "cancel_contract": _("解除合同"),
    "other": _("其他"),
}
ROLE_LABELS = {
    "customer": _("客户"),
    "agent": _("坐席/柜员"),
    "handler": _("投诉处理专员"),
    "supervisor": _("主管"),
    "branch_head": _("分行/部门负责人"),
    "senior_manager": _("总行高管"),
    "collaborator": _("协办人员"),
    "compliance": _("消保合规"),
    "qa_inspector": _("质检员"),
    "auditor": _("审计"),
    "admin": _("系统管理员"),
    "system": _("系统"),
}


@register.filter
def demand_labels(values: list[str]) -> str:
    return "、".join(str(DEMAND_LABELS.get(v, v)) for v in values) if values else "—"


@register.filter
def role_label(value: str) -> Any:
    return ROLE_LABELS.get(value, value)


@register.filter
def iso_local(value: str | None) -> str:
    """A moment as staff read it. Midnight is shown as 24:00 of the day before: a deadline "ends at
    24:00 of the last day" (Civil Code Art 201 counting), and 10-16 00:00 reads like a day too late."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value)
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
    return iso_local(value.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat()) if value else "—"
