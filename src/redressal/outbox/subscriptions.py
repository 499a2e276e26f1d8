"""The customer messages that follow from what happened to a case (SPEC §10), queued in the case's
transaction when its event is appended (``cases.bus``, found by ``CasesConfig.ready``).

The services queue the messages whose text they compose (the acknowledgement, extension and pause
notices, the decision notice); these follow from the event alone: the review's acknowledgement, the
satisfaction survey after a decision, and the announcement of a follow-up visit.
"""

from __future__ import annotations

from redressal.cases import bus
from redressal.cases.models import Case
from redressal.cases.steps import Step
from redressal.notify.services import message_customer


def acknowledge_review(published: bus.Published) -> list[Step]:
    """A review (核查) request is registered as its own case: the customer is told its number."""
    case = published.case
    if case.kind == Case.Kind.REVIEW and case.review_of is not None:
        message_customer(case, "review_acknowledgement", "", facts={"review_of": case.review_of.case_number})
    return []


def ask_for_rating(published: bus.Published) -> list[Step]:
    """After the decision of a complaint (not of its review, whose outcome is final) the customer is
    asked to rate it; the rating is their feedback (SPEC §4 satisfaction)."""
    case = published.case
    if case.kind == Case.Kind.PRIMARY and case.request_type == Case.RequestType.COMPLAINT:
        message_customer(case, "satisfaction_survey", "")
    return []


def announce_visit(published: bus.Published) -> list[Step]:
    """Closing planned a follow-up visit (回访): the customer hears that the bank will call back."""
    case = published.case
    visit = case.visits.filter(status="pending").order_by("due_date").first()
    if visit is not None:
        message_customer(case, "follow_up_visit", "", facts={"due_date": visit.due_date.isoformat()})
    return []


bus.on_event(acknowledge_review, "registered")
bus.on_event(ask_for_rating, "responded")
bus.on_event(announce_visit, "closed")
