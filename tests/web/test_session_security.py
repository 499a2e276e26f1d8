"""Session and login hardening found by the pilot's security test: the idle timeout on the API, the
lockout key, caching of signed-in answers, and the password rules."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import PASSWORD, local
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


# --- idle timeout (SPEC §13) on /api/ calls made with the session cookie ------------------------------


def test_idle_session_cookie_is_refused_by_the_api_in_the_error_shape(client, bank, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False) as t:
        login(client, "handler1")
        assert client.get("/api/v1/cases").status_code == 200
        t.shift(700)  # nothing done for longer than the timeout
        r = client.get("/api/v1/cases")
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "unauthenticated"
        assert set(r.json()["error"]) == {"code", "message", "field"}
        # The session is over, not merely refused once: the pages want a new login too.
        assert client.get("/notifications/").status_code == 302


def test_api_calls_with_the_session_keep_it_alive(client, bank, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False) as t:
        login(client, "handler1")
        for _ in range(3):
            t.shift(500)
            assert client.get("/api/v1/cases").status_code == 200
        assert client.get("/notifications/").status_code == 200


def test_bearer_tokens_keep_their_own_expiry(client, bank, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False) as t:
        r = client.post("/api/v1/auth/token", {"username": "handler1", "password": PASSWORD},
                        content_type="application/json")
        token = r.json()["access_token"]
        t.shift(3600)
        assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200


# --- lockout keyed on the username and the IP together ----------------------------------------------


def _fail(client, username: str, ip: str) -> int:
    return client.post("/login/", {"username": username, "password": "wrong-password-x"}, REMOTE_ADDR=ip).status_code


def test_failures_for_one_user_do_not_lock_out_others_behind_the_same_ip(client, bank):
    nat = "10.1.2.3"
    for _ in range(5):
        _fail(client, "handler1", nat)
    # Another person behind the branch's NAT still signs in.
    r = client.post("/login/", {"username": "handler2", "password": PASSWORD}, REMOTE_ADDR=nat)
    assert r.status_code == 302
    client.post("/logout/", REMOTE_ADDR=nat)
    # The attacked account is locked from that address, even with its right password.
    r = client.post("/login/", {"username": "handler1", "password": PASSWORD}, REMOTE_ADDR=nat)
    assert r.status_code == 429
    r = client.post("/api/v1/auth/token", {"username": "handler1", "password": PASSWORD},
                    content_type="application/json", REMOTE_ADDR=nat)
    assert r.status_code == 429 and r.json()["error"]["code"] == "locked_out"


# --- no caching of what a signed-in person sees --------------------------------------------------------


def test_signed_in_pages_and_api_answers_are_not_stored(client, bank):
    from tests.services.test_lifecycle import register

    case = register(bank)
    login(client, "handler1")
    for url in ("/", f"/cases/{case.pk}/", "/notifications/", "/api/v1/cases", f"/api/v1/cases/{case.pk}"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "no-store" in r["Cache-Control"], url
        assert r["Pragma"] == "no-cache"
    # An API error and a bearer-token answer too (no session there).
    client.logout()
    r = client.get("/api/v1/cases")
    assert r.status_code == 401 and "no-store" in r["Cache-Control"]


def test_static_files_stay_cacheable(client, bank):
    from django.templatetags.static import static

    login(client, "handler1")
    r = client.get(static("web/app.css"))
    assert r.status_code == 200 and "no-store" not in r.get("Cache-Control", "")


# --- password rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("Ab1-short", "密码太短，至少需要 12 个字符"),  # 9 characters
        ("password1234", "这个密码太常见了"),
        ("884120397731", "密码只包含数字"),
        ("handler1-2026", "太相似"),
    ],
)
def test_a_weak_password_is_refused_with_a_clear_message(client, bank, password, says):
    # Where a person chooses a password: their own password page (no administrator sets one).
    login(client, "handler1")
    r = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password,
    })
    assert r.status_code == 200  # the form again, with the error
    body = r.content.decode()
    assert says in body, body[body.find("error"):][:600]
    bank.people["handler"].refresh_from_db()
    assert bank.people["handler"].check_password(PASSWORD)


def test_the_tests_password_and_the_demos_generated_one_pass_the_rules(bank):
    import secrets

    from django.contrib.auth.password_validation import validate_password

    validate_password(PASSWORD, bank.people["handler"])
    for _ in range(20):
        validate_password(secrets.token_urlsafe(12))  # as seed-demo generates it


def test_seed_demo_refuses_a_weak_demo_password(db, monkeypatch):
    from django.core.management import CommandError, call_command

    from redressal.org.models import Staff

    monkeypatch.setenv("REDRESSAL_DEMO_PASSWORD", "demo1234")
    refusal = "REDRESSAL_DEMO_PASSWORD is refused: This password is too short: it needs at least 12"
    with pytest.raises(CommandError, match=refusal):
        call_command("seed_demo", "--cases", "0", "--customers", "1")
    assert not Staff.objects.exists()
