"""The portal's pages through Django's test client: sign in with the code, the cookie session, the
customer's own cases only, the actions, the language and the large-text mode."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent
from redressal.portal.models import CustomerSession
from tests.flows import accept_and_respond
from tests.portal.conftest import OTHER_PHONE, PHONE

PDF = b"%PDF-1.4\n%%EOF\n"


def signed_in(phone: str = PHONE, ip: str = "10.0.0.5") -> Client:
    client = Client(REMOTE_ADDR=ip)
    page = client.post("/portal/signin/", {"phone": phone})
    assert page.status_code == 200
    code = re.search(r'id="demo-code">[^<]*<strong>(\d{6})</strong>', page.content.decode()).group(1)
    r = client.post("/portal/signin/verify/", {"phone": phone, "code": code, "next": "/portal/"})
    assert r.status_code == 302 and r["Location"] == "/portal/"
    return client


def test_pages_need_a_signed_in_customer(bank):
    r = Client().get("/portal/")
    assert r.status_code == 302 and r["Location"].startswith("/portal/signin/?next=")
    page = Client().get("/portal/signin/")
    assert page.status_code == 200 and "获取验证码" in page.content.decode()


def test_a_wrong_code_is_said_in_chinese_and_names_the_field(bank):
    client = Client()
    client.post("/portal/signin/", {"phone": PHONE})
    r = client.post("/portal/signin/verify/", {"phone": PHONE, "code": "000001"})
    text = r.content.decode()
    assert r.status_code == 422 and "验证码不正确" in text and 'aria-invalid="true"' in text
    assert "otp.wrong_code" not in text
    assert not CustomerSession.objects.exists()


def test_the_cookie_is_the_session_and_signing_out_ends_it(bank, known):
    client = signed_in()
    assert client.get("/portal/").status_code == 200
    cookie = client.cookies["redressal_portal"]
    assert cookie["httponly"] and cookie["path"] == "/portal/"
    assert CustomerSession.objects.get().token_hash not in cookie.value
    client.post("/portal/signout/")
    assert CustomerSession.objects.get().revoked_at is not None
    stolen = Client()
    stolen.cookies["redressal_portal"] = cookie.value
    assert stolen.get("/portal/").status_code == 302
    forged = Client()
    forged.cookies["redressal_portal"] = "not-signed"
    assert forged.get("/portal/").status_code == 302


def test_submit_see_act_on_the_page(bank, known):
    client = signed_in()
    page = client.get("/portal/new/")
    assert "您的姓名" not in page.content.decode()  # the bank knows this phone
    r = client.post(
        "/portal/new/",
        {
            "business": "loan",
            "description": "贷款利率与合同不符",
            "amount": "1,200.50",
            "demand": ["refund"],
            "attachments": [SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get()
    assert r["Location"] == f"/portal/cases/{case.case_number}/"
    assert str(case.amount) == "1200.50"
    page = client.get(r["Location"]).content.decode()
    assert case.case_number in page and "已登记" in page and "答复期限" in page and "合同.pdf" in page
    listing = client.get("/portal/").content.decode()
    assert case.case_number in listing
    svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="handler1")
    accept_and_respond(case.pk, bank.actor("handler"))
    page = client.get(r["Location"]).content.decode()
    assert "notice.pdf" in page and 'id="rate-section"' in page
    pdf = client.get(f"/portal/cases/{case.case_number}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    r = client.post(f"/portal/cases/{case.case_number}/rate/", {"score": "5", "comment": "满意"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    r = client.post(f"/portal/cases/{case.case_number}/review/", {"reason": "还是想核查"})
    assert r.status_code == 302
    review = Case.objects.get(kind="review")
    assert r["Location"] == f"/portal/cases/{review.case_number}/"


def test_a_refused_action_is_said_on_the_case_page(bank, known):
    client = signed_in()
    client.post("/portal/new/", {"business": "loan", "description": "利率不符"})
    number = Case.objects.get().case_number
    r = client.post(f"/portal/cases/{number}/rate/", {"score": "5"})
    assert r.status_code == 400 and "当前状态下不能进行该操作" in r.content.decode()


def test_withdraw_asks_for_confirmation(bank, known):
    client = signed_in()
    client.post("/portal/new/", {"business": "deposit", "description": "存款利息少算"})
    case = Case.objects.get()
    page = client.get(f"/portal/cases/{case.case_number}/withdraw/")
    assert "我确认撤回这件投诉" in page.content.decode()
    client.post(f"/portal/cases/{case.case_number}/withdraw/", {"reason": "不用了"})  # no confirmation
    case.refresh_from_db()
    assert case.status == "registered"
    client.post(f"/portal/cases/{case.case_number}/withdraw/", {"confirm": "1"})
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert CaseEvent.objects.get(case=case, type="withdrawn").actor_role == "customer"


def same(content: bytes, number: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode().replace(number, "N"))


def test_another_customers_case_pages_are_not_found(bank, known):
    mine = signed_in()
    mine.post("/portal/new/", {"business": "loan", "description": "利率不符"})
    number = Case.objects.get().case_number
    other = signed_in(OTHER_PHONE, ip="10.0.0.6")
    for path in ("", "withdraw/", "notice.pdf"):
        theirs = other.get(f"/portal/cases/{number}/{path}")
        none = other.get(f"/portal/cases/XX-00000000-0000/{path}")
        assert theirs.status_code == none.status_code == 404
        # The same page: only the address it was asked at (the language switch's "next") and the
        # per-render CSRF mask differ.
        assert same(theirs.content, number) == same(none.content, "XX-00000000-0000")
    for path, data in (("material/", {"text": "x"}), ("rate/", {"score": "5"}), ("review/", {"reason": "x"})):
        assert other.post(f"/portal/cases/{number}/{path}", data).status_code == 404
    other.post(f"/portal/cases/{number}/withdraw/", {"confirm": "1"})
    assert Case.objects.get().status == "registered"
    assert number not in other.get("/portal/").content.decode()


def test_large_text_mode_persists_and_english_is_switchable(bank):
    client = Client()
    page = client.get("/portal/signin/").content.decode()
    assert "large-text" not in page and "大字模式" in page
    r = client.post("/portal/text-size/", {"large": "1", "next": "/portal/signin/"})
    assert r.status_code == 302 and r["Location"] == "/portal/signin/"
    assert 'class="portal large-text"' in client.get("/portal/signin/").content.decode()
    client.post("/portal/text-size/", {"large": "0", "next": "https://evil.example/"})
    assert "large-text" not in client.get("/portal/signin/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/signin/"})
    page = client.get("/portal/signin/")
    assert page["Content-Language"] == "en" and '<html lang="en">' in page.content.decode()
