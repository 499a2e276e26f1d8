"""The decision notice as a PDF (SPEC §4): WeasyPrint, HTML → PDF, with the Chinese font embedded.

ARCHITECTURE §7: WeasyPrint picked Noto Sans CJK **JP** glyph shapes for ``lang="zh-Hans"``, so the
stylesheet names "Noto Sans CJK SC" explicitly. The PDF is made outside any transaction and writes
nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from redressal.cases.models import Case, Decision
from redressal.cases.services.deadlines import profile_of
from redressal.domain.choices import OUTCOME_IN_NOTICE, REVIEW_OUTCOME_IN_NOTICE
from redressal.domain.notice import addressee_name, fill_notice, long_date


def addressee(case: Case) -> str:
    """How the letter addresses the case's complainant (``domain.notice.addressee_name``)."""
    customer = case.customer
    individual = (
        case.party_type == "natural_person" and customer is not None and customer.kind == customer.Kind.INDIVIDUAL
    )
    return addressee_name(
        case.complainant_name, individual=individual, id_number=(customer.id_number or "") if customer else ""
    )


def notice_html(case: Case, decision: Decision) -> str:
    tz = profile_of(case).tz
    review = case.kind == Case.Kind.REVIEW
    outcomes = REVIEW_OUTCOME_IN_NOTICE if review else OUTCOME_IN_NOTICE
    outcome = outcomes.get(decision.outcome, decision.outcome)
    letter = fill_notice(
        decision.notice_content, outcome=outcome, reasons=decision.reasons, basis=decision.basis, remedy=decision.remedy
    )
    # The notice goes to the complainant: always in Chinese, whatever language the staff page uses.
    # It is the letter alone — the decision's fields are already in its text, which the handler wrote
    # and the complainant received — signed by the unit and the bank, dated, with room for the seal.
    with translation.override("zh-hans"):
        return render_to_string(
            "cases/notice.html",
            {
                "case": case,
                "letter": letter,
                "title": "核查决定告知书" if review else "投诉处理决定告知书",
                "notice_date": long_date(decision.notice_at.astimezone(tz).date()),
                "bank_name": settings.BANK_NAME,
                "contact_phone": settings.BANK_CONTACT_PHONE,
            },
        )


def render_notice_pdf(case: Case, decision: Decision) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    pdf = HTML(string=notice_html(case, decision)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
