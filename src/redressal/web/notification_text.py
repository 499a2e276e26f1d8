"""A staff notification worded in the reader's language from the facts stored with it.

Services store the facts (case number, deadline kind, due moment …) in ``StaffNotification.payload``;
the page words them when it shows them, so a supervisor reading in English sees English. Rows written
before the payload existed keep their stored plain text (shown as data).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from redressal.mailin.services import REASONS as MAIL_REASONS
from redressal.web.labels import REVIEW_OUTCOME_LABELS
from redressal.web.quality_labels import APPEAL_RESULTS
from redressal.web.templatetags.redressal import DEADLINE_LABELS, iso_local


def span(delta: timedelta) -> str:
    """A stretch of time as a person says it, to the coarsest whole unit: 2 天, 5 小时, 40 分钟."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes >= 1440:
        n = minutes // 1440
        return ngettext("%(n)s 天", "%(n)s 天", n) % {"n": n}
    if minutes >= 60:
        n = minutes // 60
        return ngettext("%(n)s 小时", "%(n)s 小时", n) % {"n": n}
    return ngettext("%(n)s 分钟", "%(n)s 分钟", minutes) % {"n": minutes}


def _deadline_warning(p: dict[str, Any], at: datetime | None, now: datetime | None) -> str:
    """How far the due moment was when the warning came (its moment is the notification's)."""
    facts = {
        "case": p.get("case_number", ""),
        "deadline": DEADLINE_LABELS.get(p.get("deadline", ""), p.get("deadline", "")),
        "due": iso_local(p.get("due")),
    }
    if at is None:
        return _("%(case)s：%(deadline)s时限预警，到期 %(due)s") % facts
    left = datetime.fromisoformat(p["due"]) - at
    return _("%(case)s：%(deadline)s时限距到期 %(left)s，到期 %(due)s") % {**facts, "left": span(left)}


def _deadline_breach(p: dict[str, Any], at: datetime | None, now: datetime | None) -> str:
    """Overdue, and by how much as the reader looks (the breach itself is dated at the due moment)."""
    facts = {
        "case": p.get("case_number", ""),
        "deadline": DEADLINE_LABELS.get(p.get("deadline", ""), p.get("deadline", "")),
        "due": iso_local(p.get("due")),
    }
    late = now - datetime.fromisoformat(p["due"]) if now is not None and p.get("due") else None
    if late is None or late < timedelta(hours=1):
        return _("%(case)s：%(deadline)s时限已超时") % facts
    return _("%(case)s：%(deadline)s时限已超时 %(late)s，到期 %(due)s") % {**facts, "late": span(late)}


def _approval(p: dict[str, Any]) -> str:
    if "level" in p:
        return _("%(case)s：第 %(level)s 级延期申请待审批") % {"case": p.get("case_number", ""), "level": p["level"]}
    return _("%(case)s：解决方案待审批，金额 ¥%(amount)s") % {
        "case": p.get("case_number", ""),
        "amount": p.get("amount", ""),
    }


def _approval_result(p: dict[str, Any]) -> str:
    case = p.get("case_number", "")
    if "level" in p:
        return _("%(case)s：第 %(level)s 级延期申请被驳回") % {"case": case, "level": p["level"]}
    if p.get("result") == "approved":
        return _("%(case)s：解决方案已批准") % {"case": case}
    return _("%(case)s：解决方案被驳回") % {"case": case}


def _review_decided(p: dict[str, Any]) -> str:
    outcome = p.get("outcome", "")
    return _("%(case)s：核查决定为%(outcome)s") % {
        "case": p.get("case_number", ""),
        "outcome": REVIEW_OUTCOME_LABELS.get(outcome, outcome),
    }


SIMPLE = {
    "assignment": lambda p: _("%(case)s：已分派给您") % {"case": p.get("case_number", "")},
    "task": lambda p: (
        _("%(case)s：协办任务 %(title)s") % {"case": p.get("case_number", ""), "title": p.get("title", "")}
    ),
    "task_reply": lambda p: (
        _("%(case)s：协办回复 %(title)s") % {"case": p.get("case_number", ""), "title": p.get("title", "")}
    ),
    "escalation": lambda p: (
        _("%(case)s：已升级至本机构，原因：%(reason)s")
        % {"case": p.get("case_number", ""), "reason": p.get("reason", "")}
    ),
    "review": lambda p: _("%(case)s：收到核查申请") % {"case": p.get("case_number", "")},
    "visit_dissatisfied": lambda p: (
        _("%(case)s：回访客户不满意（%(score)s 分）")
        % {"case": p.get("case_number", ""), "score": p.get("satisfaction", "")}
    ),
    "routing_unassigned": lambda p: (
        _("%(case)s：分派规则 %(rule)s 无可分派人员") % {"case": p.get("case_number", ""), "rule": p.get("rule", "")}
    ),
    "mass_incident": lambda p: (
        _("群体性事件 MI-%(id)s：%(key)s，%(count)s 件 / %(customers)s 位客户")
        % {
            "id": p.get("incident", ""),
            "key": p.get("key", ""),
            "count": p.get("count", ""),
            "customers": p.get("customers", ""),
        }
    ),
    "calendar_unconfirmed": lambda p: (
        _("%(year)s 年节假日与调休安排尚未确认，请同步或编辑工作日历") % {"year": p.get("year", "")}
    ),
    "qa_result": lambda p: (
        _("%(case)s：质检得分 %(total)s，可在“质检结果”中查看和申诉")
        % {"case": p.get("case_number", ""), "total": p.get("total", "")}
    ),
    "qa_calibration": lambda p: _("%(case)s：请背靠背校准评分") % {"case": p.get("case_number", "")},
    "qa_appeal": lambda p: _("%(case)s：处理人对质检评分提出申诉，待裁定") % {"case": p.get("case_number", "")},
    "qa_appeal_decided": lambda p: (
        _("%(case)s：质检申诉已裁定（%(result)s），得分 %(total)s")
        % {
            "case": p.get("case_number", ""),
            "result": str(APPEAL_RESULTS.get(p.get("result", ""), p.get("result", ""))),
            "total": p.get("total", ""),
        }
    ),
    "approval": _approval,
    "approval_result": _approval_result,
    # mailin: a mail set aside for a person, with why (the code's wording on the mailbox page).
    "mail_quarantined": lambda p: (
        _("一封来信已隔离，待处理：%(why)s") % {"why": _(MAIL_REASONS.get(p.get("reason", ""), p.get("reason", "")))}
    ),
    "review_decided": _review_decided,
}


TIMED = {"deadline_warning": _deadline_warning, "deadline_breach": _deadline_breach}


def notification_text(
    kind: str, payload: dict[str, Any] | None, *, at: datetime | None = None, now: datetime | None = None
) -> str | None:
    """The message in the active language, or None when the row has no facts (show its stored text).
    ``at``: the notification's moment; ``now``: the reader's (deadline wordings count from them)."""
    if not payload or (kind not in SIMPLE and kind not in TIMED):
        return None
    try:
        if kind in TIMED:
            return str(TIMED[kind](payload, at, now))
        return str(SIMPLE[kind](payload))
    except (KeyError, TypeError, ValueError):
        return None
