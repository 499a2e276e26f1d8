"""What a customer is shown of their case: customer-safe and nothing more.

Built from an allow-list: the status and the deadline, the handler's display name, and the events the
customer took part in or was told about (registration, acceptance, an extension or pause with the
reason the customer was sent, the decision, closing, a withdrawal, a review). Notes, triage, tasks,
proposals, escalations, assignments and every other staff name never leave here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from redressal.cases.models import Case, CaseEvent, Evidence, Feedback
from redressal.core.clock import now
from redressal.domain.choices import DEMAND_LABELS
from redressal.portal.models import CustomerSession
from redressal.portal.services import Allowed, allowed, case_of, cases_of, latest_decision, review_deadline

BEIJING = ZoneInfo("Asia/Shanghai")

STATUS_LABELS = {
    "registered": _("已登记"),
    "accepted": _("已受理"),
    "investigating": _("处理中"),
    "pending_approval": _("处理中"),
    "responded": _("已答复，待评价"),
    "closed": _("已办结"),
    "withdrawn": _("已撤回"),
    "declined": _("不予受理"),
    "merged": _("已合并处理"),
}
KIND_LABELS = {"primary": pgettext_lazy("portal", "投诉"), "review": pgettext_lazy("portal", "核查申请")}

# The events a customer sees, with how they are told; ``True``: the event's reason is shown (it is
# the customer's own text, or what the customer was sent about it).
TIMELINE: dict[str, tuple[object, bool]] = {
    "registered": (pgettext_lazy("portal", "已收到您的投诉并登记"), False),
    "accepted": (pgettext_lazy("portal", "已受理"), False),
    "extended": (pgettext_lazy("portal", "处理期限延长"), True),
    "paused": (pgettext_lazy("portal", "处理期限中止"), True),
    "resumed": (pgettext_lazy("portal", "恢复处理"), False),
    "responded": (pgettext_lazy("portal", "已作出处理决定并告知您"), False),
    "answered": (pgettext_lazy("portal", "已答复"), False),
    "closed": (pgettext_lazy("portal", "已办结"), False),
    "reopened": (pgettext_lazy("portal", "重新处理"), False),
    "withdrawn": (pgettext_lazy("portal", "您已撤回投诉"), False),
    "declined": (pgettext_lazy("portal", "不予受理"), False),
    "merged": (pgettext_lazy("portal", "与您的其他投诉合并处理"), False),
    "review_requested": (pgettext_lazy("portal", "您已申请核查"), False),
    "correspondence_received": (pgettext_lazy("portal", "您补充了材料"), True),
}
# The customer's own uploads only (staff-side evidence may hold internal material).
OWN_EVIDENCE = pgettext_lazy("portal", "您上传了文件")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    text: str = ""


@dataclass(frozen=True)
class CaseSummary:
    case_number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    product: str
    received_at: datetime
    deadline: date | None
    closed: bool


@dataclass(frozen=True)
class CaseView:
    summary: CaseSummary
    description: str
    amount: Decimal | None
    demand: list[str]
    handler: str
    has_notice: bool
    review_until: date | None
    review_case: str
    review_of: str
    rating: int | None
    rating_comment: str
    allowed: Allowed
    timeline: list[TimelineEntry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _local_date(moment: datetime | None) -> date | None:
    return moment.astimezone(BEIJING).date() if moment is not None else None


def summary_of(case: Case) -> CaseSummary:
    closed = case.closed_at is not None or case.status not in (
        "registered",
        "accepted",
        "investigating",
        "pending_approval",
    )
    return CaseSummary(
        case_number=case.case_number,
        kind=case.kind,
        kind_label=str(KIND_LABELS.get(case.kind, "")),
        status=case.status,
        status_label=str(STATUS_LABELS.get(case.status, "")),
        product=case.product,
        received_at=case.received_at,
        # The deadline the customer is told: the decision (or review decision) is due by this day.
        deadline=None if closed else _local_date(case.decision_due_at),
        closed=closed,
    )


def list_cases(session: CustomerSession, limit: int = 50) -> list[CaseSummary]:
    fields = ("case_number", "kind", "status", "product", "received_at", "decision_due_at", "closed_at")
    return [summary_of(c) for c in cases_of(session).only(*fields)[:limit]]


def _timeline(case: Case) -> list[TimelineEntry]:
    entries = []
    types = [*list(TIMELINE), "evidence_added"]
    events = (
        CaseEvent.objects.filter(case=case, type__in=types).order_by("seq").only("type", "at", "reason", "actor_role")
    )
    for event in events:
        if event.type == "evidence_added":
            if event.actor_role == "customer":
                entries.append(TimelineEntry(event.at, str(OWN_EVIDENCE)))
            continue
        label, with_reason = TIMELINE[event.type]
        if event.type == "correspondence_received" and event.actor_role != "customer":
            continue
        entries.append(TimelineEntry(event.at, str(label), event.reason if with_reason else ""))
    return entries


def case_view(session: CustomerSession, case_number: str) -> CaseView:
    case = case_of(session, case_number)
    feedback = Feedback.objects.filter(case=case).order_by("-pk").first()
    window = review_deadline(case)
    review = case.reviews.order_by("-pk").only("case_number").first() if case.kind == Case.Kind.PRIMARY else None
    handler = ""
    if case.assignee is not None and case.assignee.display_name != case.assignee.username:
        # The display name only: a login name (the default display name) is the bank's internal id.
        handler = case.assignee.display_name or ""
    return CaseView(
        summary=summary_of(case),
        description=case.description,
        amount=case.amount,
        demand=[str(_(DEMAND_LABELS[d])) for d in case.demand if d in DEMAND_LABELS],
        handler=handler,
        has_notice=case.notified_at is not None and latest_decision(case) is not None,
        review_until=_local_date(window),
        review_case=review.case_number if review else "",
        review_of=case.review_of.case_number if case.review_of else "",
        rating=feedback.csat if feedback else None,
        rating_comment=feedback.comments if feedback else "",
        allowed=allowed(case, now()),
        timeline=_timeline(case),
        files=list(
            Evidence.objects.filter(case=case, from_customer=True).order_by("pk").values_list("filename", flat=True)
        ),
    )
