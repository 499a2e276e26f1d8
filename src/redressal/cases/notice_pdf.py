"""The decision notice as a PDF (SPEC §4): WeasyPrint, HTML → PDF, with the Chinese font embedded.

ARCHITECTURE §7: WeasyPrint picked Noto Sans CJK **JP** glyph shapes for ``lang="zh-Hans"``, so the
stylesheet names "Noto Sans CJK SC" explicitly. The PDF is made outside any transaction and writes
nothing.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from redressal.cases.models import Case, Decision
from redressal.cases.services.deadlines import profile_of
from redressal.domain.choices import OUTCOME_IN_NOTICE, REVIEW_OUTCOME_IN_NOTICE
from redressal.domain.customers import sex_from_id

HONORIFIC = {"male": "先生", "female": "女士"}


def long_date(day: date) -> str:
    """A date as a Chinese letter writes it: 2024年3月5日, not 2024年03月05日."""
    return f"{day.year}年{day.month}月{day.day}日"


def addressee(case: Case) -> str:
    """How the letter addresses the complainant: 张伟先生 or 王芳女士 where the resident ID number on
    record tells, the name alone where it does not, a company by its name, and 客户 without a name."""
    name = case.complainant_name.strip()
    if not name:
        return "客户"
    customer = case.customer
    if case.party_type != "natural_person" or customer is None or customer.kind != customer.Kind.INDIVIDUAL:
        return name
    sex = sex_from_id(customer.id_number or "")
    return name + HONORIFIC[sex] if sex else name


def notice_draft(
    *, review_window_days: int, complainant: str = "", when: str = "近期", subject: str = "", reference: str = ""
) -> str:
    """The decision notice pre-filled for the person to complete and edit, always in Chinese (it goes
    to the complainant whatever the page language): ``when`` is "于2024年03月01日" or "近期",
    ``reference`` the case number in brackets or nothing.

    It states every challenge route SPEC §4 requires (办法 第二十条: review within the profile's
    request window of the decision; mediation, arbitration, litigation), which
    ``check_decision_notice`` also checks. The 【…】 placeholders are the decision's fields.
    """
    return (
        f"尊敬的{complainant or '客户'}：\n"
        f"您{when}提出的关于{subject or '我行业务'}的投诉{reference}，我行已受理并调查核实。\n"
        "处理结果：【处理结果】\n"
        "理由及依据：【理由】【依据】\n"
        "补救措施：【补救措施】\n"
        f"如您对本处理决定有异议，可自收到本处理决定之日起{review_window_days}日内向我行上级机构书面申请核查；"
        "也可以向银行业消费纠纷调解组织申请调解，或依法申请仲裁、向人民法院提起诉讼。\n"
    )


def fill_notice(text: str, *, outcome: str, reasons: str, basis: str, remedy: str) -> str:
    """The draft's 【…】 placeholders that the person left unedited, filled from the decision's fields
    (``outcome`` already in words), so no letter ever reaches a complainant with a placeholder in it."""
    return (
        text.replace("【处理结果】", outcome)
        .replace("【理由】", reasons)
        .replace("【依据】", f"（{basis}）" if basis else "")
        .replace("【补救措施】", remedy or "—")
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
