"""Labels and formats of the case page: codes shown translated, money as ¥1,234.50."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from redressal.domain.authority import MAX_PROPOSAL_ITEMS
from redressal.domain.codes import load_codes
from redressal.web.labels import (
    CHANNEL_LABELS,
    CONTACT_OUTCOME_LABELS,
    FEEDBACK_LABELS,
    FINDING_LABELS,
    ITEM_LABELS,
    MEASURE_LABELS,
    MESSAGE_KIND_LABELS,
    NOTE_KINDS,
    OUTCOME_LABELS,
    REVIEW_OUTCOME_LABELS,
)
from redressal.web.triage_labels import EMOTION_LABELS, RISK_LABELS, VULNERABLE_LABELS, factor_row

register = template.Library()

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
TABLES: dict[str, dict[str, Any]] = {
    "emotion": EMOTION_LABELS,
    "risk": RISK_LABELS,
    "vulnerable": VULNERABLE_LABELS,
    "outcome": OUTCOME_LABELS,
    "review_outcome": REVIEW_OUTCOME_LABELS,
    "feedback": FEEDBACK_LABELS,
    "channel": CHANNEL_LABELS,
    "item": ITEM_LABELS,
    "finding": FINDING_LABELS,
    "measure": MEASURE_LABELS,
    "proposal": PROPOSAL_STATUS_LABELS,
    "visit": VISIT_STATUS_LABELS,
    "root_cause": ROOT_CAUSE_LABELS,
    "note": NOTE_KINDS,
    "contact_outcome": CONTACT_OUTCOME_LABELS,
    "message_kind": MESSAGE_KIND_LABELS,
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
def proposal_items(items: Any) -> list[Any]:
    """A proposal's items as a page lists them: no more than a proposal may hold, whatever is stored."""
    return list(items[:MAX_PROPOSAL_ITEMS]) if isinstance(items, list) else []


@register.filter
def factor(value: Any) -> str:
    """A priority factor named as the triage panel names it, with its points: ``监管转办 +30``."""
    row = factor_row(value if isinstance(value, dict) else {"factor": value})
    points = value.get("points") if isinstance(value, dict) else None
    return f"{row['label']} +{points}" if points not in (None, "") else str(row["label"])
