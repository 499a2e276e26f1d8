"""The browser harness itself: login through the form, the page's scripts run, no CSP violation."""

from __future__ import annotations

from tests.services.test_lifecycle import register


def test_login_shows_the_case_list_in_chinese(bank, as_user):
    case = register(bank)
    handler = as_user("handler1")
    handler.goto("/")
    assert case.case_number in handler.text("main")
    assert handler.page.locator("html").get_attribute("lang") == "zh-CN"
    handler.shot("case-list")
