"""The decision notice as a real PDF with Chinese text (WeasyPrint, Noto Sans CJK SC embedded)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

from redressal.cases.models import Decision
from redressal.cases.notice_pdf import notice_html, render_notice_pdf
from tests.flows import accept_and_respond
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
    assert '"Noto Sans CJK SC"' in html and case.case_number in html and "投诉不成立" in html


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
