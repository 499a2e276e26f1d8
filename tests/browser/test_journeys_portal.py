"""The customer portal on a phone (390×844): sign in with the code the local SMS gateway received,
submit a complaint with an attachment, follow its status, download the decision notice once staff
have decided (through the services), rate it, request a review; and the large-text mode for elderly
customers really makes the text bigger."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent
from redressal.customers.services import CustomerInput, create_customer
from tests.artifacts import screenshots_dir
from tests.browser.conftest import TIMEOUT_MS
from tests.flows import accept_and_respond
from tests.outbox.conftest import Gateway, sms_gateway  # noqa: F401 (the local SMS gateway fixture)

PHONE = "13800138000"
PHONE_VIEWPORT = {"width": 390, "height": 844}


class Phone:
    """The customer's own phone browser: a fresh context, watched for CSP violations and script errors."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.context = browser.new_context(
            base_url=self.base_url,
            locale="zh-CN",
            viewport=PHONE_VIEWPORT,
            is_mobile=True,
            has_touch=True,
            accept_downloads=True,
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))

    def _console(self, msg: Any) -> None:
        if "Content Security Policy" in msg.text or (msg.type == "error" and "Failed to load" not in msg.text):
            self.problems.append(f"{self.page.url}: {msg.text}")

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 500

    def submit(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)

    def text(self, selector: str = "main") -> str:
        return str(self.page.inner_text(selector))

    def font_size(self, selector: str) -> float:
        return float(self.page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)"))

    def shot(self, step: str) -> None:
        self.page.screenshot(path=str(screenshots_dir() / f"portal-{step}.png"), full_page=True)


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Any:
    device = Phone(chromium, live_server.url)
    try:
        yield device
        assert not device.problems, "\n".join(device.problems)
    finally:
        device.context.close()


@pytest.fixture
def gateway_sms(monkeypatch: pytest.MonkeyPatch, sms_gateway: Gateway) -> Gateway:  # noqa: F811
    monkeypatch.setenv("REDRESSAL_MODE", "production")
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_URL", sms_gateway.url)
    monkeypatch.setenv("REDRESSAL_DELIVERY_TIMEOUT", "2")
    return sms_gateway


def sign_in(phone: Any, gateway: Gateway) -> None:
    phone.goto("/portal/")
    assert "/portal/signin/" in phone.page.url
    phone.page.fill("#phone", PHONE)
    phone.submit("button.primary")
    assert gateway.requests and gateway.requests[-1]["body"]["to"] == PHONE
    code = re.search(r"\b(\d{6})\b", gateway.requests[-1]["body"]["text"]).group(1)
    phone.page.fill("#code", code)
    phone.submit("button.primary")
    assert phone.page.url.rstrip("/").endswith("/portal")


def test_submit_follow_download_rate_and_request_review_on_a_phone(
    bank, this_year_calendar, phone, gateway_sms, tmp_path: Path
):
    create_customer(CustomerInput(name="王芳", phone=PHONE), actor=None, home_unit=bank.branch)
    sign_in(phone, gateway_sms)
    phone.shot("1-my-cases")

    phone.submit("#new-case")
    phone.page.select_option("#business", "credit_card")
    phone.page.fill("#description", "信用卡年费未经我同意被扣除 300 元")
    phone.page.fill("#amount", "300")
    phone.page.check("input[name=demand][value=refund]")
    receipt = tmp_path / "扣费短信.pdf"
    receipt.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    phone.page.set_input_files("#attachments", str(receipt))
    phone.shot("2-submit")
    phone.submit("#submit-form button.primary")
    case = Case.objects.get()
    assert case.case_number in phone.text("h1")
    assert phone.text("#case-status") == "已登记" and phone.text("#case-deadline")
    assert "扣费短信.pdf" in phone.text()
    # The page fits the phone: nothing wider than the screen.
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    phone.shot("3-status")

    # Staff take it up and decide, through the services.
    svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="handler1")
    accept_and_respond(case.pk, bank.actor("handler"))
    phone.page.reload()
    assert phone.text("#case-status") == "已答复，待评价"
    assert "已作出处理决定并告知您" in phone.text("#timeline")
    with phone.page.expect_download() as download:
        phone.page.click("#notice-link")
    saved = tmp_path / "notice.pdf"
    download.value.save_as(str(saved))
    assert saved.read_bytes().startswith(b"%PDF")
    phone.shot("4-decision")

    phone.page.check("input[name=score][value='4']")
    phone.page.fill("#comment", "处理及时")
    phone.submit("#rate-section button.primary")
    assert "感谢您的评价" in phone.text() and phone.text("#case-status") == "已办结"
    assert phone.text("#rating").startswith("4 / 5")
    closed = CaseEvent.objects.get(case=case, type="closed")
    assert closed.actor_role == "customer" and closed.payload["csat"] == 4

    phone.page.fill("#reason", "补偿金额不足，申请上级核查")
    phone.submit("#review-section button.primary")
    review = Case.objects.get(kind="review")
    assert review.case_number in phone.text("h1") and "核查申请" in phone.text("h1")
    assert phone.text("#case-status") == "已登记"
    phone.shot("5-review")
    phone.goto("/portal/")
    listing = phone.text()
    assert case.case_number in listing and review.case_number in listing


def test_the_large_text_mode_makes_the_text_bigger_and_stays_on(bank, phone):
    phone.goto("/portal/signin/")
    normal_body = phone.font_size("body")
    normal_button = phone.page.eval_on_selector("button.primary", "e => e.getBoundingClientRect().height")
    phone.shot("6-normal-text")
    phone.submit("#text-size")
    large_body = phone.font_size("body")
    large_button = phone.page.eval_on_selector("button.primary", "e => e.getBoundingClientRect().height")
    assert large_body >= normal_body * 1.3, (normal_body, large_body)
    assert large_button > normal_button
    assert "标准字体" in phone.text("#text-size")
    phone.shot("7-large-text")
    phone.goto("/portal/signin/")  # kept across pages
    assert phone.font_size("body") == large_body
    phone.submit("#text-size")
    assert phone.font_size("body") == normal_body
