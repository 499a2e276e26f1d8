"""What a signed-in customer may do with their own cases (SPEC §9 online banking, §11 customer portal).

A customer is whoever proved the phone; their cases are those whose customer record has that phone's
blind index. Every function takes the :class:`CustomerSession` and finds the case through it, so
another customer's case, a case that does not exist and a malformed number all answer the same
``not_found``. Every change goes through the case services with the customer recorded as acting
(``ChannelOrigin("portal", …)``); the lifecycle refuses what the customer may not do, as for staff.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from redressal.cases import services as svc
from redressal.cases.commands import Upload
from redressal.cases.models import Case, Decision
from redressal.cases.services.deadlines import profile_of
from redressal.core.errors import NotFound, ValidationFailed
from redressal.customers.models import Customer
from redressal.customers.services import CustomerInput
from redressal.domain.deadlines import review_window_end
from redressal.domain.lifecycle import FeedbackResult, State
from redressal.portal.models import CustomerSession
from redressal.workdays.services import work_calendar

# The type of business a customer picks from (stored on the case as its label, as staff type it).
BUSINESS_TYPES: dict[str, str] = {
    "debit_card": gettext_noop("借记卡"),
    "credit_card": gettext_noop("信用卡"),
    "loan": gettext_noop("贷款"),
    "deposit": gettext_noop("存款"),
    "wealth": gettext_noop("理财产品"),
    "payment": gettext_noop("支付结算"),
    "e_banking": gettext_noop("网上银行/手机银行"),
    "other": gettext_noop("其他业务"),
}
CHANNELS = ("online_banking", "mobile_banking")
MAX_TEXT = 5000
# Rated 1–2: dissatisfied; 3: basically satisfied; 4–5: satisfied (the feedback results of SPEC §4).
DISSATISFIED_REASON = "客户在客户门户评价为不满意"


def origin_for(session: CustomerSession, reference: str = "") -> svc.ChannelOrigin:
    return svc.ChannelOrigin("portal", reference or f"session-{session.pk}")


def cases_of(session: CustomerSession) -> QuerySet[Case]:
    """The customer's cases, newest first; index-backed (customer.phone_index, case.customer_id)."""
    customers = Customer.objects.filter(phone_index=session.phone_index).values("pk")
    return Case.objects.filter(customer_id__in=customers).order_by("-received_at", "-pk")


def case_of(session: CustomerSession, case_number: str) -> Case:
    """One of the customer's cases; anything else is not found, with the same answer."""
    case = (
        cases_of(session).select_related("assignee", "review_of").filter(case_number=case_number[:40]).first()
        if case_number
        else None
    )
    if case is None:
        raise NotFound("not_found", "no such case", field="case_number")
    return case


def known_customer(session: CustomerSession) -> bool:
    """Whether the bank already has a customer with this phone (the form then asks no name)."""
    return Customer.objects.filter(phone_index=session.phone_index).exists()


@dataclass
class Submission:
    name: str
    business: str
    description: str
    amount: Decimal | None = None
    demand: list[str] = field(default_factory=list)
    channel: str = "online_banking"
    attachments: Sequence[Upload] = ()


def submit_case(session: CustomerSession, data: Submission) -> Case:
    """A complaint the customer files: the customer record with the proved phone, or a new one."""
    if data.business not in BUSINESS_TYPES:
        raise ValidationFailed("invalid_choice", "choose the type of business", field="business")
    if data.channel not in CHANNELS:
        raise ValidationFailed("invalid_choice", "the portal is online or mobile banking", field="channel")
    if len(data.description) > MAX_TEXT:
        raise ValidationFailed("too_long", f"at most {MAX_TEXT} characters", field="description")
    customer: Customer | CustomerInput | None = (
        Customer.objects.filter(phone_index=session.phone_index).order_by("pk").first()
    )
    if customer is None:
        name = data.name.strip()
        if not name or len(name) > 100:
            raise ValidationFailed("required", "your name is required (at most 100 characters)", field="name")
        customer = CustomerInput(name=name, phone=session.phone)
    return svc.receive_case(
        svc.RegisterInput(
            request_type="complaint",
            channel=data.channel,
            description=data.description,
            product=BUSINESS_TYPES[data.business],
            amount=data.amount,
            demand=list(data.demand),
            attachments=list(data.attachments),
            attachment_kind="electronic",
        ),
        origin=origin_for(session, f"submission-{uuid.uuid4().hex[:16]}"),
        customer=customer,
    )


def add_material(session: CustomerSession, case_number: str, text: str, attachments: Sequence[Upload] = ()) -> Case:
    case = case_of(session, case_number)
    if len(text) > MAX_TEXT:
        raise ValidationFailed("too_long", f"at most {MAX_TEXT} characters", field="text")
    return svc.receive_correspondence(case.pk, origin=origin_for(session), text=text, attachments=attachments)


def latest_decision(case: Case) -> Decision | None:
    return Decision.objects.filter(case=case).order_by("-pk").first()


def notice_of(session: CustomerSession, case_number: str) -> tuple[Case, Decision]:
    case = case_of(session, case_number)
    decision = latest_decision(case) if case.notified_at is not None else None
    if decision is None:
        raise NotFound("no_notice", "there is no decision notice yet", field="case_number")
    return case, decision


def rate_case(session: CustomerSession, case_number: str, score: int, comment: str = "") -> Case:
    case = case_of(session, case_number)
    if not 1 <= score <= 5:
        raise ValidationFailed("out_of_range", "rate 1 to 5", field="score")
    if len(comment) > MAX_TEXT:
        raise ValidationFailed("too_long", f"at most {MAX_TEXT} characters", field="comment")
    if score >= 4:
        result = FeedbackResult.SATISFIED
    elif score == 3:
        result = FeedbackResult.BASICALLY_SATISFIED
    else:
        result = FeedbackResult.DISSATISFIED
    return svc.record_feedback(
        case.pk,
        actor=None,
        result=result.value,
        csat=score,
        comments=comment.strip(),
        close_reason=DISSATISFIED_REASON if result == FeedbackResult.DISSATISFIED else "",
        origin=origin_for(session),
    )


def review_deadline(case: Case) -> datetime | None:
    """Until when the customer may ask for a review (the profile's window from the notice)."""
    if case.kind != Case.Kind.PRIMARY or case.notified_at is None:
        return None
    return review_window_end(profile_of(case), work_calendar(), case.notified_at)


def request_review(session: CustomerSession, case_number: str, reason: str) -> Case:
    case = case_of(session, case_number)
    if case.kind != Case.Kind.PRIMARY:
        raise ValidationFailed("not_allowed", "a review case cannot itself be reviewed", field="case_number")
    if len(reason) > MAX_TEXT:
        raise ValidationFailed("too_long", f"at most {MAX_TEXT} characters", field="reason")
    return svc.request_review(case.pk, actor=None, reason=reason, origin=origin_for(session))


def withdraw(session: CustomerSession, case_number: str, reason: str = "") -> Case:
    case = case_of(session, case_number)
    return svc.withdraw_case(
        case.pk, actor=None, reason=(reason.strip() or "客户通过客户门户撤回")[:MAX_TEXT], origin=origin_for(session)
    )


OPEN_STATES = frozenset({State.REGISTERED, State.ACCEPTED, State.INVESTIGATING, State.PENDING_APPROVAL})


@dataclass(frozen=True)
class Allowed:
    rate: bool
    review: bool
    withdraw: bool


def allowed(case: Case, current: datetime) -> Allowed:
    """Which actions the page offers (the services decide; this only hides what would be refused)."""
    window = review_deadline(case)
    has_review = case.kind == Case.Kind.PRIMARY and case.reviews.exists()
    return Allowed(
        rate=case.status == State.RESPONDED,
        review=(
            case.kind == Case.Kind.PRIMARY
            and case.status in (State.RESPONDED, State.CLOSED)
            and window is not None
            and current <= window
            and not has_review
        ),
        withdraw=case.status in OPEN_STATES,
    )
