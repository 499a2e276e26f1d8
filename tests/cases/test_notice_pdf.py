"""The decision notice as a real PDF with Chinese text (WeasyPrint, Noto Sans CJK SC embedded)."""

from __future__ import annotations

import shutil
import subprocess

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
        assert b"NotoSansCJK" in pdf or b"Noto Sans CJK" in pdf


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
