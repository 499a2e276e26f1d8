"""A first week at a branch (issue 11, items 21, 22, 24, 25), as the handler lives it in the browser: the
queue puts the overdue regulator transfer first, the bell's notifications say how long is left in local
time, grouped by case, and the handler calls the customer from the case page — in Chinese and English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from redressal.cases.services.warnings import sweep_warnings
from tests.browser.test_journeys import en
from tests.flows import accept
from tests.services.test_lifecycle import register
from tests.triage.conftest import register_forwarded

DATA = frozenset({"王秀英", "北京分行", "总行", "handler1", "北京朝阳支行"})


@pytest.fixture(params=["zh", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_handlers_first_morning_queue_notifications_and_a_call(bank, this_year_calendar, as_user, language):
    english = language == "en"
    t = en if english else (lambda msgid: msgid)
    handler_actor = bank.actor("handler")
    now = timezone.now()
    # Older ordinary complaints, and one regulator transfer received 20 days ago: overdue, P1 or P2.
    texts = ("信用卡年费被重复收取两次。", "手机银行转账失败，钱被扣了没到账。", "网点柜员态度差，等了一个小时。")
    older = [
        register(bank, received_at=now - timedelta(days=d), description=text)
        for d, text in zip((12, 10, 8), texts, strict=True)
    ]
    overdue = register_forwarded(bank, "12378-2026-0001", received_at=now - timedelta(days=20))
    for c in [*older, overdue]:
        accept(c.pk, handler_actor)
    sweep_warnings(now)  # the first sweep of the morning

    handler = as_user("handler1")
    if english:
        handler.switch_language()
    handler.goto("/queue/")
    rows = handler.page.locator("[data-testid=queue-row]")
    assert rows.count() == 4
    assert overdue.case_number in rows.first.inner_text(), rows.first.inner_text()
    assert t("监管转办") in rows.first.inner_text()  # its flag chip
    assert handler.page.locator("[data-testid=queue-legend]").is_visible()
    handler.shot(f"queue-{language}")

    # Notifications: grouped by case, newest first, worded by the time left or overdue, in local time.
    handler.goto("/notifications/")
    group = handler.page.locator(f"[data-testid=notification-group][data-case='{overdue.case_number}']")
    assert group.count() == 1
    text = group.inner_text()
    assert ("overdue by" in text) if english else ("已超时" in text), text
    assert "时限已用" not in text and "T" not in text.split(overdue.case_number)[0][-3:]
    handler.shot(f"notifications-{language}")

    # The case page: the deadline in Beijing time (24:00 of its last day), and the call to the customer.
    handler.goto(f"/cases/{overdue.pk}/")
    deadlines = handler.page.locator("[data-testid=deadlines]").inner_text()
    assert "24:00" in deadlines
    handler.page.locator("[data-testid=contact] summary").click()
    handler.page.fill("#contact-reason", "告知客户处理进展")
    handler.page.click("[data-testid=contact-reveal]")
    phone = handler.page.locator("[data-testid=contact-phone] a[href^='tel:']")
    phone.wait_for()
    assert phone.get_attribute("href") == f"tel:{overdue.customer.phone}"
    handler.shot(f"call-{language}")
