"""Signing in by phone and a one-time code: the code really goes to a local SMS gateway, is stored
only hashed, expires, is tried a limited number of times, is throttled per phone and per address, and
a captcha stands in front after failures. Every refusal names its field and changes nothing else."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from redressal.core.clock import now
from redressal.domain import otp
from redressal.portal.models import CustomerSession, OtpChallenge, OtpFailure
from tests.portal.conftest import PHONE

OTP = "/api/v1/public/otp"
SESSION = "/api/v1/public/session"


def post(client: Client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def production(monkeypatch, sms_gateway):
    """Outside demo mode, with the local HTTP gateway as the SMS transport."""
    monkeypatch.setenv("REDRESSAL_MODE", "production")
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_URL", sms_gateway.url)
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_TOKEN", "s3cret")
    monkeypatch.setenv("REDRESSAL_DELIVERY_TIMEOUT", "0.5")
    return sms_gateway


def code_from_gateway(gateway) -> str:
    text = gateway.requests[-1]["body"]["text"]
    match = re.search(r"\b(\d{6})\b", text)
    assert match, text
    return match.group(1)


def test_the_code_goes_to_the_gateway_and_only_its_hash_is_kept(bank, production, caplog):
    client = Client(REMOTE_ADDR="10.1.1.1")
    r = post(client, OTP, {"phone": "+86 138-0013-8000"})
    assert r.status_code == 200, r.content
    assert r.json()["demo_code"] is None  # nothing to show outside demo mode
    request = production.requests[-1]
    assert request["auth"] == "Bearer s3cret"
    assert request["body"]["to"] == PHONE
    code = code_from_gateway(production)
    row = OtpChallenge.objects.get()
    assert code not in row.code_hash and PHONE not in row.phone_index
    assert code not in caplog.text and PHONE not in caplog.text
    r = post(client, SESSION, {"phone": PHONE, "code": code})
    assert r.status_code == 201, r.content
    token = r.json()["token"]
    session = CustomerSession.objects.get()
    assert session.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(CustomerSession.objects.values().get())
    # The code is spent: the same again is refused.
    r = post(client, SESSION, {"phone": PHONE, "code": code})
    assert r.status_code == 422 and r.json()["error"]["code"] == "otp.no_code"


def test_a_gateway_that_refuses_leaves_no_usable_code(bank, production):
    production.mode = "500"
    r = post(Client(), OTP, {"phone": PHONE})
    assert r.status_code == 503 and r.json()["error"]["code"] == "otp.send_failed"
    assert not OtpChallenge.objects.exists()


def test_without_a_gateway_outside_demo_mode_no_code_is_made(bank, monkeypatch):
    monkeypatch.setenv("REDRESSAL_MODE", "production")
    monkeypatch.delenv("REDRESSAL_SMS_GATEWAY_URL", raising=False)
    r = post(Client(), OTP, {"phone": PHONE})
    assert r.status_code == 503 and r.json()["error"]["field"] == "phone"
    assert not OtpChallenge.objects.exists()


def test_demo_mode_sends_nothing_and_hands_the_code_back(bank, sms_gateway, monkeypatch):
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_URL", sms_gateway.url)  # configured, still not used
    r = post(Client(), OTP, {"phone": PHONE})
    assert re.fullmatch(r"\d{6}", r.json()["demo_code"])
    assert sms_gateway.requests == []


def test_a_bad_phone_is_refused_naming_it(bank):
    r = post(Client(), OTP, {"phone": "12345"})
    assert r.status_code == 422
    assert r.json()["error"] == {"code": "otp.phone_invalid", "message": r.json()["error"]["message"], "field": "phone"}
    assert not OtpChallenge.objects.exists()


def test_an_expired_code_is_refused_and_counted(bank):
    client = Client()
    code = post(client, OTP, {"phone": PHONE}).json()["demo_code"]
    with time_machine.travel(now() + otp.CODE_TTL + timedelta(seconds=1), tick=False):
        r = post(client, SESSION, {"phone": PHONE, "code": code})
    assert r.status_code == 422 and r.json()["error"]["code"] == "otp.expired"
    assert r.json()["error"]["field"] == "code"
    assert not CustomerSession.objects.exists()
    assert OtpFailure.objects.count() == 1


def test_a_guessed_code_is_counted_and_the_code_dies_after_five_tries(bank):
    client = Client(REMOTE_ADDR="10.9.9.9")
    code = post(client, OTP, {"phone": PHONE}).json()["demo_code"]
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, otp.CAPTCHA_AFTER_FAILURES + 1):
        r = post(client, SESSION, {"phone": PHONE, "code": wrong})
        assert r.status_code == 422 and r.json()["error"] == {
            "code": "otp.wrong_code",
            "message": "the code is not the one sent",
            "field": "code",
        }
        assert OtpChallenge.objects.get().attempts == attempt
    # After the third failure a captcha comes first; solved, the tries go on to the limit.
    from captcha.models import CaptchaStore

    for _ in range(otp.MAX_ATTEMPTS - otp.CAPTCHA_AFTER_FAILURES):
        r = post(client, SESSION, {"phone": PHONE, "code": wrong})
        assert r.status_code == 403 and r.json()["error"]["code"] == "captcha_required"
        key = r.json()["captcha"]["key"]
        answer = CaptchaStore.objects.get(hashkey=key).response
        r = post(client, SESSION, {"phone": PHONE, "code": wrong, "captcha_key": key, "captcha_answer": answer})
        assert r.json()["error"]["code"] == "otp.wrong_code"
    assert OtpChallenge.objects.get().attempts == otp.MAX_ATTEMPTS
    key = post(client, SESSION, {"phone": PHONE, "code": code}).json()["captcha"]["key"]
    answer = CaptchaStore.objects.get(hashkey=key).response
    r = post(client, SESSION, {"phone": PHONE, "code": code, "captcha_key": key, "captcha_answer": answer})
    assert r.json()["error"]["code"] == "otp.attempts_exhausted"  # even the right code: the code is dead
    assert not CustomerSession.objects.exists()


def test_the_captcha_follows_the_address_to_another_phone_and_a_wrong_answer_is_refused(bank):
    client = Client(REMOTE_ADDR="10.7.7.7")
    for _ in range(otp.CAPTCHA_AFTER_FAILURES):
        post(client, SESSION, {"phone": PHONE, "code": "123456"})  # no code was ever sent: failures
    r = post(client, OTP, {"phone": "13700137000"})
    assert r.status_code == 403 and r.json()["error"]["field"] == "captcha"
    captcha = r.json()["captcha"]
    assert captcha["image_url"].startswith("/captcha/image/")
    assert Client().get(captcha["image_url"]).status_code == 200
    r = post(client, OTP, {"phone": "13700137000", "captcha_key": captcha["key"], "captcha_answer": "wrong!"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "captcha_required"
    assert not OtpChallenge.objects.exists()
    # Another address is not held up by this one's failures.
    assert post(Client(REMOTE_ADDR="10.8.8.8"), OTP, {"phone": "13700137000"}).status_code == 200


def test_sends_are_limited_per_phone(bank):
    client = Client()
    assert post(client, OTP, {"phone": PHONE}).status_code == 200
    r = post(client, OTP, {"phone": PHONE})
    assert r.status_code == 429 and r.json()["error"]["code"] == "otp.too_soon"
    assert int(r["Retry-After"]) > 0
    for minute in range(1, otp.MAX_SENDS_PER_PHONE):
        with time_machine.travel(now() + timedelta(minutes=2 * minute), tick=False):
            assert post(client, OTP, {"phone": PHONE}).status_code == 200
    with time_machine.travel(now() + timedelta(minutes=2 * otp.MAX_SENDS_PER_PHONE), tick=False):
        r = post(client, OTP, {"phone": PHONE})
    assert r.status_code == 429 and r.json()["error"]["code"] == "otp.phone_limit"
    assert OtpChallenge.objects.count() == otp.MAX_SENDS_PER_PHONE
    with time_machine.travel(now() + timedelta(hours=1, minutes=30), tick=False):
        assert post(client, OTP, {"phone": PHONE}).status_code == 200


def test_sends_are_limited_per_address(bank):
    client = Client(REMOTE_ADDR="10.3.3.3")
    for n in range(otp.MAX_SENDS_PER_IP):
        assert post(client, OTP, {"phone": f"1380000{n:04d}"}).status_code == 200
    r = post(client, OTP, {"phone": "13912345678"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "otp.ip_limit"
    assert post(Client(REMOTE_ADDR="10.3.3.4"), OTP, {"phone": "13912345678"}).status_code == 200


def test_a_token_works_until_signed_out_idle_or_old(bank, me):
    assert me.get("/cases").status_code == 200
    with time_machine.travel(now() + otp.SESSION_IDLE + timedelta(seconds=1), tick=False):
        assert me.get("/cases").status_code == 401
    assert me.delete("/session").status_code == 204
    r = me.get("/cases")
    assert r.status_code == 401 and r.json()["error"]["field"] == "Authorization"
    assert Client().get("/api/v1/public/cases", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_the_public_api_has_its_own_openapi_document(bank):
    doc = Client().get("/api/v1/public/openapi.json").json()
    paths = set(doc["paths"])
    assert "/api/v1/public/otp" in paths and "/api/v1/public/cases/{case_number}/notice.pdf" in paths
    assert not any(p.startswith("/api/v1/cases") for p in paths)
    staff = Client().get("/api/v1/openapi.json")
    assert not any("/public/" in p for p in staff.json()["paths"]) if staff.status_code == 200 else True
