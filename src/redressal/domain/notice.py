"""The decision notice's text (SPEC §4, §8): the draft the person completes, its 【…】 placeholders
filled from the decision, the remedy as the letter states it, how the letter addresses the
complainant and dates itself. Always in Chinese: the notice goes to the complainant whatever
language the staff page uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from redressal.domain.choices import ITEM_LABELS
from redressal.domain.customers import sex_from_id

HONORIFIC = {"male": "先生", "female": "女士"}


def long_date(day: date) -> str:
    """A date as a Chinese letter writes it: 2024年3月5日, not 2024年03月05日."""
    return f"{day.year}年{day.month}月{day.day}日"


def addressee_name(name: str, *, individual: bool, id_number: str = "") -> str:
    """How the letter addresses the complainant: 张伟先生 or 王芳女士 where the resident ID number on
    record tells, the name alone where it does not, a company by its name, and 客户 without a name.
    ``individual``: a natural person on record as an individual customer."""
    name = name.strip()
    if not name:
        return "客户"
    if not individual:
        return name
    sex = sex_from_id(id_number or "")
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


def case_notice_draft(
    *,
    review_window_days: int,
    complainant: str,
    received_on: date,
    subject: str,
    case_number: str,
    amount: Decimal | None,
) -> str:
    """The draft of one case's notice: addressed, dated by the day the complaint was received (local),
    naming the product and the case number with the amount at stake when there is one."""
    at_stake = f"，涉及金额 {amount:,.2f} 元" if amount is not None else ""
    return notice_draft(
        review_window_days=review_window_days,
        complainant=complainant,
        when=f"于{long_date(received_on)}",
        subject=subject,
        reference=f"（工单编号 {case_number}{at_stake}）",
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


def _yuan(amount: object) -> str:
    return f"{Decimal(str(amount)):,.2f} 元"


def remedy_text(solution: str, items: Iterable[Any], total: Decimal | None) -> str:
    """"<solution>：退款 300.00 元；赔偿 500.00 元（合计 800.00 元）" — the remedy as the notice states it,
    from an approved solution's text, items (``{"kind", "amount"}``) and total."""
    # Items without an amount (a non-monetary remedy) are named without "0.00 元", and a total of nothing
    # is not stated: the complainant reads what they get.
    named = [
        f"{ITEM_LABELS.get(str(i.get('kind')), str(i.get('kind')))}"
        + (f" {_yuan(i['amount'])}" if Decimal(str(i.get("amount") or 0)) else "")
        for i in items
        if isinstance(i, Mapping)
    ]
    text = solution.strip().rstrip("。；;，,")
    if named:
        text += "：" + "；".join(named) + (f"（合计 {_yuan(total)}）" if total else "")
    return text
