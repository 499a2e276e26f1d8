"""The staff web shell: login, case list and case page, in Chinese by default and English on request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.services.test_lifecycle import register

pytestmark = pytest.mark.django_db


def login(client, username: str) -> None:
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:500]


def test_login_page_is_chinese_and_has_csp(client, bank):
    r = client.get("/login/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "员工登录" in body and 'lang="zh-CN"' in body
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "<script>" not in body


def test_wrong_password_is_refused(client, bank):
    r = client.post("/login/", {"username": "handler1", "password": "nope-nope-nope"})
    assert r.status_code == 200
    assert "用户名或密码错误" in r.content.decode()


def test_case_list_and_page_show_deadlines_and_history(client, bank):
    case = register(bank)
    login(client, "handler1")
    r = client.get("/")
    assert r.status_code == 200
    assert case.case_number in r.content.decode()
    r = client.get(f"/cases/{case.pk}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "处理决定并告知" in body and "首次联系" in body and "登记" in body
    assert "138****5678" in body and "13812345678" not in body  # masked for a handler


def test_english_is_switchable(client, bank):
    case = register(bank)
    login(client, "handler1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Decision and notice" in body and "History" in body
    assert "处理记录" not in body


def test_pages_are_permission_checked(client, bank):
    case = register(bank)
    assert client.get(f"/cases/{case.pk}/").status_code == 302  # to login
    login(client, "collab1")
    assert case.case_number not in client.get("/").content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 403


def test_every_english_message_is_translated():
    po = Path(__file__).resolve().parents[2] / "src/redressal/locale/en/LC_MESSAGES/django.po"
    text = po.read_text(encoding="utf-8")
    untranslated = re.findall(r'msgid "(.+)"\nmsgstr ""\n\n', text + "\n")
    assert untranslated == []
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]


def test_chinese_even_for_an_english_browser(client, bank):
    r = client.get("/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "员工登录" in r.content.decode()


def test_deadlines_read_as_24_00_of_the_last_day(client, bank):
    import time_machine

    from tests.conftest import local

    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank)
        login(client, "handler1")
        body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "2024-10-05 24:00" in body and "2024-10-08 24:00" in body
    assert "2024-10-06 00:00" not in body
