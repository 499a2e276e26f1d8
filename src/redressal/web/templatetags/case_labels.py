"""Labels and formats of the case page: codes shown translated, money as ¥1,234.50."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from redressal.web.forms.case_actions import (
    CHANNEL_LABELS,
    FEEDBACK_LABELS,
    FINDING_LABELS,
    ITEM_LABELS,
    MEASURE_LABELS,
    NOTE_KINDS,
    OUTCOME_LABELS,
    REVIEW_OUTCOME_LABELS,
)

register = template.Library()

EMOTION_LABELS = {"calm": _("平静"), "dissatisfied": _("不满"), "angry": _("愤怒"), "distressed": _("焦虑无助")}
RISK_LABELS = {
    "regulator": _("监管投诉风险"),
    "media": _("媒体曝光风险"),
    "lawsuit": _("诉讼风险"),
    "fraud": _("资金安全/欺诈"),
    "fund_safety": _("资金安全/欺诈"),
    "pii_leak": _("个人信息泄露"),
    "personal_information": _("个人信息泄露"),
    "mass_incident": _("群体性事件"),
    "repeat": _("重复投诉"),
}
VULNERABLE_LABELS = {
    "elderly": _("老年客户"),
    "disabled": _("残障客户"),
    "low_literacy": _("金融知识薄弱"),
    "bereaved": _("近期丧亲"),
}
PROPOSAL_STATUS_LABELS = {
    "pending": _("待审批"),
    "approved": _("已批准"),
    "rejected": _("已驳回"),
    "auto_approved": _("权限内生效"),
}
VISIT_STATUS_LABELS = {"pending": _("待回访"), "done": _("已回访")}
# Root causes written as words (the demo's findings, older records) rather than a JR/T C code.
ROOT_CAUSE_LABELS = {
    "system_failure": _("系统故障"),
    "process_design": _("流程设计缺陷"),
    "staff_conduct": _("员工行为不当"),
    "sales_practice": _("销售行为不规范"),
    "information_disclosure": _("信息披露不充分"),
    "third_party": _("第三方原因"),
    "customer_error": _("客户自身原因"),
    "outsourcing": _("外包机构原因"),
}
OUTCOMES = {**OUTCOME_LABELS, **{k: v for k, v in REVIEW_OUTCOME_LABELS.items() if k == "revised"}}

# The classification axes (JR/T 0263 dimensions the triage suggests) and the priority score's factors.
AXIS_LABELS = {
    "request_type": _("诉求类型"),
    "business": _("业务类别"),
    "cause": _("投诉原因"),
    "channel": _("渠道"),
    "product": _("产品"),
}
FACTOR_LABELS = {
    "request_type": _("诉求类型"),
    "regulator_forwarded": _("监管转办"),
    "vulnerable": _("特殊群体"),
    "amount": _("涉及金额"),
    "emotion": _("客户情绪"),
}

TABLES: dict[str, dict[str, Any]] = {
    "emotion": EMOTION_LABELS,
    "risk": RISK_LABELS,
    "vulnerable": VULNERABLE_LABELS,
    "outcome": OUTCOMES,
    "review_outcome": REVIEW_OUTCOME_LABELS,
    "feedback": FEEDBACK_LABELS,
    "channel": CHANNEL_LABELS,
    "item": ITEM_LABELS,
    "finding": FINDING_LABELS,
    "measure": MEASURE_LABELS,
    "proposal": PROPOSAL_STATUS_LABELS,
    "visit": VISIT_STATUS_LABELS,
    "root_cause": ROOT_CAUSE_LABELS,
    "axis": AXIS_LABELS,
    "note": NOTE_KINDS,
}


@register.filter
def label(value: Any, table: str) -> Any:
    """``{{ code|label:"outcome" }}``: the translated label of a code, or the code itself."""
    return TABLES.get(table, {}).get(value, value) if isinstance(value, str) else value


@register.filter
def root_cause(value: Any) -> Any:
    """A root cause as a label: a JR/T C code as "C0101 label", a worded cause from its table."""
    if not isinstance(value, str) or not value:
        return value
    if value in ROOT_CAUSE_LABELS:
        return ROOT_CAUSE_LABELS[value]
    from redressal.domain.codes import load_codes

    code = load_codes().get(value)
    return f"{code.code} {code.label(get_language() or 'zh-hans')}" if code is not None else value


@register.filter
def money(value: Any) -> str:
    """¥1,234.50 — the one money format of the workbench (grouped, two decimals)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"¥{amount:,.2f}"


@register.filter
def factor(value: Any) -> str:
    """A priority factor as the triage wrote it: a string, or {name/label/factor, points/weight}."""
    if isinstance(value, dict):
        name = value.get("label") or value.get("name") or value.get("factor") or value.get("code") or ""
        name = _factor_name(name)
        points = value.get("points", value.get("weight", value.get("score")))
        return f"{name} +{points}" if points not in (None, "") else str(name)
    return str(_factor_name(value))


def _factor_name(name: str) -> Any:
    """``request_type`` → 诉求类型, ``risk:media`` → 媒体曝光风险, ``elderly`` → 老年客户."""
    code = name.removeprefix("risk:")
    return FACTOR_LABELS.get(name) or RISK_LABELS.get(code) or VULNERABLE_LABELS.get(code) or name


@register.filter
def classified(choice: Any, axis: str) -> str:
    """A suggested or confirmed classification: a JR/T code with its label, or a case field's label
    (``self_service`` → 自助机具), with the model's confidence when it has one."""
    if not isinstance(choice, dict) or not choice:
        return "—"
    from redressal.cases.models import Case
    from redressal.domain.codes import load_codes

    code = str(choice.get("code") or "")
    fields = {"channel": Case.Channel, "request_type": Case.RequestType}
    known = load_codes().get(code) if code else None
    if axis in fields and code in fields[axis].values:
        text = str(fields[axis](code).label)
    elif known is not None:
        text = f"{known.code} {known.label(get_language() or 'zh-hans')}"
    else:
        text = str(choice.get("label") or code)
    confidence = choice.get("confidence")
    return f"{text} ({float(confidence):.2f})" if confidence not in (None, "") else text



@register.filter
def case_event(value: str) -> Any:
    from redressal.web.templatetags.redressal import EVENT_LABELS

    return EVENT_LABELS.get(value, value)
