"""The decision notice's text for a case (SPEC §4, §8): the draft filled from the case, the remedy taken
from the approved solution; the wording is ``domain.notice``'s. Always in Chinese: the notice goes to
the complainant whatever language the staff page uses."""

from __future__ import annotations

from redressal.cases.models import Case, Proposal
from redressal.cases.notice_pdf import addressee
from redressal.cases.services.deadlines import profile_of
from redressal.domain import notice
from redressal.domain.notice import fill_notice

APPROVED = ("approved", "auto_approved")


def notice_template(case: Case) -> str:
    """The decision notice pre-filled from the case; the handler completes and edits it."""
    profile = profile_of(case)
    return notice.case_notice_draft(
        review_window_days=profile.review.request_window_days,
        complainant=addressee(case),
        received_on=case.received_at.astimezone(profile.tz).date(),
        subject=case.product,
        case_number=case.case_number,
        amount=case.amount,
    )


def approved_proposal(case: Case) -> Proposal | None:
    """The solution the decision carries out: the latest one approved (or within the proposer's limit)."""
    return case.proposals.filter(status__in=APPROVED).order_by("-pk").first()


def remedy_text(proposal: Proposal) -> str:
    """"<solution>：退款 300.00 元；赔偿 500.00 元（合计 800.00 元）" — the remedy as the notice states it."""
    return notice.remedy_text(proposal.solution, proposal.items or [], proposal.total)


__all__ = ["approved_proposal", "fill_notice", "notice_template", "remedy_text"]
