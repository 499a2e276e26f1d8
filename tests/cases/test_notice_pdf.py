"""The decision notice as a real PDF with Chinese text (WeasyPrint, Noto Sans CJK SC embedded)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Decision
from redressal.cases.notice_pdf import addressee, notice_html, render_notice_pdf
from redressal.customers.services import CustomerInput
from redressal.domain.notice import fill_notice, notice_draft
from tests.conftest import local
from tests.flows import accept, accept_and_respond, confirm_codes
from tests.services.test_lifecycle import register
from tests.web.test_case_page import login

pytestmark = pytest.mark.django_db


def _decided(bank):
    case = register(bank, product="信用卡年费")
    accept_and_respond(case.pk, bank.actor("handler"))
    case.refresh_from_db()
    return case, Decision.objects.get(case=case)


def test_notice_html_names_the_sc_font_and_the_decision(bank):
    case, decision = _decided(bank)
    html = notice_html(case, decision)
    assert '"Noto Sans CJK SC"' in html and case.case_number in html and decision.notice_content in html


def test_notice_pdf_is_a_pdf_with_chinese_text(bank, tmp_path):
    case, decision = _decided(bank)
    pdf = render_notice_pdf(case, decision)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "notice.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
        assert "投诉处理决定告知书" in text and case.case_number in text
    else:
        # Without poppler: the font dictionaries sit in compressed object streams, so inflate them.
        assert any(b"NotoSansCJK" in part for part in [pdf, *_inflated_streams(pdf)])


def _inflated_streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            continue  # not a FlateDecode stream (or an image): no font names there
    return out


def test_notice_pdf_download_is_permission_checked(client, bank):
    case, _ = _decided(bank)
    login(client, "handler1")
    r = client.get(f"/cases/{case.pk}/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert "attachment" in r["Content-Disposition"]
    client.logout()
    login(client, "collab1")
    assert client.get(f"/cases/{case.pk}/notice.pdf").status_code == 403


def test_no_decision_no_pdf(client, bank):
    case = register(bank)
    login(client, "handler1")
    assert client.get(f"/cases/{case.pk}/notice.pdf").status_code == 404


def test_review_notice_names_the_review_outcome(bank):
    from redressal.cases import services as svc
    from tests.flows import accept

    case, _ = _decided(bank)
    review = svc.request_review(case.pk, actor=bank.actor("handler"), reason="不服")
    accept(review.pk, bank.actor("hosup"))
    svc.start_investigation(review.pk, actor=bank.actor("hosup"))
    svc.respond_to_case(
        review.pk, actor=bank.actor("hosup"), outcome="upheld", reasons="原处理适当", basis="办法第二十条", remedy="",
        notice=svc.Notice("sms", "核查决定：维持原处理决定。"),
    )
    review.refresh_from_db()
    html = notice_html(review, Decision.objects.get(case=review))
    assert "核查决定告知书" in html and "维持原处理决定" in html and case.case_number in html


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_the_letter_is_printed_once_signed_dated_and_sealed(bank, tmp_path, settings):
    """The PDF is the letter the complainant received, once (not a table of its fields and then the
    letter again), with the bank's name, the contact phone, a seal area and the date as a letter
    writes it (2024年9月5日, not 09月05日)."""
    settings.BANK_NAME = "瑞达商业银行"
    settings.BANK_CONTACT_PHONE = "400-123-4567"
    with time_machine.travel(local(2024, 9, 2, 10, 0), tick=False):
        case = register(bank, product="信用卡年费")
        accept(case.pk, bank.actor("handler"))
        svc.start_investigation(case.pk, actor=bank.actor("handler"))
        confirm_codes(case.pk, bank.actor("handler"))
        draft = notice_draft(review_window_days=30, complainant="王秀英先生")
        svc.respond_to_case(
            case.pk,
            actor=bank.actor("handler"),
            outcome="upheld",
            reasons="年费重复扣收属实",
            basis="信用卡领用合约第十二条",
            remedy="退还重复扣收的年费",
            notice=svc.Notice("sms", draft, ["review", "mediation", "arbitration", "litigation"]),
        )
    case.refresh_from_db()
    html = notice_html(case, Decision.objects.get(case=case))
    assert html.count("年费重复扣收属实") == 1  # the placeholder filled, and no table repeating it
    assert "【" not in html and "王秀英先生" in html
    assert "瑞达商业银行" in html and "400-123-4567" in html and "（盖章）" in html
    assert "2024年9月2日" in html and "09月02日" not in html
    text = _pdf_text(render_notice_pdf(case, Decision.objects.get(case=case)), tmp_path)
    assert text.count("年费重复扣收属实") == 1 and "瑞达商业银行" in text and "400-123-4567" in text
    assert fill_notice("【依据】", outcome="", reasons="", basis="", remedy="") == ""


def test_the_draft_addresses_the_complainant_as_a_letter_does(bank):
    """先生/女士 from the resident ID number on record; the name alone where it cannot tell."""
    man = register(bank)  # 110101195001011234: the 17th digit, 3, is odd
    woman = register(bank, customer=CustomerInput(name="李梅", phone="13812345679", id_number="11010119800101122X"))
    unknown = register(bank, customer=CustomerInput(name="赵敏", phone="13812345670"))
    assert addressee(man) == "王秀英先生"
    assert addressee(woman) == "李梅女士"
    assert addressee(unknown) == "赵敏"


def test_a_remedy_without_money_states_no_amounts():
    """A non-monetary remedy reads as what the complainant gets, not as "非金钱补救 0.00 元（合计 0.00 元）"."""
    from decimal import Decimal

    from redressal.cases.models import Proposal
    from redressal.cases.notice import remedy_text

    items = [{"kind": "non_monetary", "amount": "0"}]
    apology = Proposal(solution="致歉并调整催收策略。", items=items, total=Decimal(0))
    assert remedy_text(apology) == "致歉并调整催收策略：非金钱补救"
    refund = Proposal(solution="退还年费", items=[{"kind": "refund", "amount": "300"}], total=Decimal(300))
    assert remedy_text(refund) == "退还年费：退款 300.00 元（合计 300.00 元）"
