"""The decision notice's text (SPEC §4, §8): the draft filled from the case, the remedy taken from the
approved solution, and the 【…】 placeholders filled from the decision. Always in Chinese: the notice
goes to the complainant whatever language the staff page uses."""

from __future__ import annotations

from decimal import Decimal

from redressal.cases.models import Case, Proposal
from redressal.cases.notice_pdf import addressee, fill_notice, long_date, notice_draft
from redressal.cases.services.deadlines import profile_of
from redressal.domain.choices import ITEM_LABELS  # the label is the Chinese word: the notice is in Chinese

APPROVED = ("approved", "auto_approved")


def notice_template(case: Case) -> str:
    """The decision notice pre-filled from the case; the handler completes and edits it."""
    profile = profile_of(case)
    amount = f"，涉及金额 {case.amount:,.2f} 元" if case.amount is not None else ""
    return notice_draft(
        review_window_days=profile.review.request_window_days,
        complainant=addressee(case),
        when=f"于{long_date(case.received_at.astimezone(profile.tz).date())}",
        subject=case.product,
        reference=f"（工单编号 {case.case_number}{amount}）",
    )


def approved_proposal(case: Case) -> Proposal | None:
    """The solution the decision carries out: the latest one approved (or within the proposer's limit)."""
    return case.proposals.filter(status__in=APPROVED).order_by("-pk").first()


def _yuan(amount: object) -> str:
    return f"{Decimal(str(amount)):,.2f} 元"


def remedy_text(proposal: Proposal) -> str:
    """"<solution>：退款 300.00 元；赔偿 500.00 元（合计 800.00 元）" — the remedy as the notice states it."""
    # Items without an amount (a non-monetary remedy) are named without "0.00 元", and a total of nothing
    # is not stated: the complainant reads what they get.
    items = [
        f"{ITEM_LABELS.get(str(i.get('kind')), str(i.get('kind')))}"
        + (f" {_yuan(i['amount'])}" if Decimal(str(i.get("amount") or 0)) else "")
        for i in proposal.items or []
        if isinstance(i, dict)
    ]
    text = proposal.solution.strip().rstrip("。；;，,")
    if items:
        text += "：" + "；".join(items) + (f"（合计 {_yuan(proposal.total)}）" if proposal.total else "")
    return text


__all__ = ["approved_proposal", "fill_notice", "notice_template", "remedy_text"]
