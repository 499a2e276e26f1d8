"""Error answers: the workbench's translated pages, and the JSON error shape (SPEC §14) everywhere
under /api/ — Django's bare English pages and django-ninja's plain-text 405 reached callers before."""

from __future__ import annotations

import pytest

from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False  # the technical 404 page otherwise


def _shape(r, status: int, code: str) -> None:
    assert r.status_code == status
    assert r["Content-Type"].startswith("application/json"), r.content[:200]
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code and body["error"]["message"]


def test_unknown_page_is_the_workbench_404_in_chinese_then_english(client, bank):
    login(client, "handler1")
    r = client.get("/no/such/page/")
    assert r.status_code == 404
    body = r.content.decode()
    assert "页面不存在" in body and 'data-testid="http-error"' in body
    assert "/static/web/app.css" in body and "handler1" in body  # the workbench's header and style
    assert "Not Found" not in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/no/such/page/").content.decode()
    assert "Page not found" in body and 'lang="en"' in body


def test_anonymous_404_and_a_missing_object_under_the_workbench(client, bank):
    r = client.get("/no/such/page/")
    assert r.status_code == 404 and "页面不存在" in r.content.decode()


def test_403_page_is_the_workbench_page(client, bank):
    login(client, "handler1")
    r = client.get("/admin/")  # Django's admin raises PermissionDenied for a non-admin
    assert r.status_code == 403
    assert "无权访问" in r.content.decode() and "403 Forbidden" not in r.content.decode()


def test_400_page_is_translated(client, bank, settings):
    r = client.get("/login/", HTTP_HOST="evil.example")  # DisallowedHost, before any session is read
    assert r.status_code == 400
    body = r.content.decode()
    assert "请求无效" in body and "Bad Request" not in body


def test_500_page_is_translated_without_touching_the_database(client, bank, monkeypatch):
    from redressal.notify import inbox

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    client.raise_request_exception = False
    login(client, "handler1")
    monkeypatch.setattr(inbox, "unread_count", broken)
    r = client.get("/notifications/badge/")
    assert r.status_code == 500
    body = r.content.decode()
    assert "系统出错" in body and "boom" not in body and "Server Error" not in body


def test_unknown_api_paths_answer_in_the_error_shape(client, bank):
    _shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
    _shape(client.get("/api/v2/cases"), 404, "not_found")
    _shape(client.get("/api/"), 404, "not_found")


def test_wrong_method_on_an_api_path_answers_in_the_error_shape(client, bank):
    r = client.delete("/api/v1/auth/token")
    _shape(r, 405, "method_not_allowed")
    assert "POST" in r["Allow"]


def test_bad_request_under_api_answers_in_the_error_shape(client, bank):
    _shape(client.get("/api/v1/cases", HTTP_HOST="evil.example"), 400, "bad_request")


def test_a_crash_under_api_answers_in_the_error_shape(client, bank, monkeypatch):
    from redressal.cases import selectors
    from tests.services.test_lifecycle import register

    case = register(bank)
    client.raise_request_exception = False
    login(client, "handler1")

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "case_events", broken)
    r = client.get(f"/api/v1/cases/{case.pk}/events")
    _shape(r, 500, "server_error")
    assert "boom" not in r.content.decode()
