"""The sign-in rules alone (domain.otp): no database, no Django."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from redressal.domain import otp
from redressal.domain.errors import DomainError

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000", "８６１３８００１３８０００"]
)
def test_a_mobile_number_in_its_usual_spellings_is_one_number(raw):
    assert otp.normalise_phone(raw) == "13800138000"


@pytest.mark.parametrize("raw", ["", "12800138000", "1380013800", "138001380001", "010-12345678", "abc"])
def test_anything_else_is_refused_naming_the_phone(raw):
    with pytest.raises(DomainError) as err:
        otp.normalise_phone(raw)
    assert err.value.field == "phone" and err.value.rule == "otp.phone_invalid"


def test_codes_have_six_digits_zero_padded():
    assert otp.code_from(42) == "000042"
    assert otp.code_from(999_999) == "999999"
    with pytest.raises(ValueError):
        otp.code_from(1_000_000)
    assert otp.check_code_format(" 012345 ") == "012345"
    for bad in ("12345", "1234567", "12a456", ""):
        with pytest.raises(DomainError) as err:
            otp.check_code_format(bad)
        assert err.value.field == "code"


def test_sends_are_limited_per_phone_per_minute_and_hour_and_per_address():
    otp.check_send(otp.SendHistory(None, 0, 0), T0)
    with pytest.raises(otp.Throttled) as err:
        otp.check_send(otp.SendHistory(T0 - timedelta(seconds=20), 1, 1), T0)
    assert err.value.rule == "otp.too_soon" and err.value.retry_after == 40
    otp.check_send(otp.SendHistory(T0 - timedelta(seconds=60), 4, 4), T0)
    with pytest.raises(otp.Throttled) as err:
        otp.check_send(otp.SendHistory(T0 - timedelta(minutes=5), otp.MAX_SENDS_PER_PHONE, 5), T0)
    assert err.value.rule == "otp.phone_limit"
    with pytest.raises(otp.Throttled) as err:
        otp.check_send(otp.SendHistory(None, 0, otp.MAX_SENDS_PER_IP), T0)
    assert err.value.rule == "otp.ip_limit"


def test_a_captcha_after_three_failures_of_the_phone_or_the_address():
    assert not otp.captcha_required(2, 2)
    assert otp.captcha_required(3, 0)
    assert otp.captcha_required(0, 3)


def test_a_code_is_usable_while_alive_unused_and_not_tried_too_often():
    alive = otp.ChallengeState(T0 + otp.CODE_TTL, 0, False)
    otp.check_usable(alive, T0)
    cases = [
        (None, "otp.no_code"),
        (otp.ChallengeState(T0 + otp.CODE_TTL, 0, True), "otp.no_code"),
        (otp.ChallengeState(T0, 0, False), "otp.expired"),
        (otp.ChallengeState(T0 + otp.CODE_TTL, otp.MAX_ATTEMPTS, False), "otp.attempts_exhausted"),
    ]
    for state, rule in cases:
        with pytest.raises(DomainError) as err:
            otp.check_usable(state, T0)
        assert err.value.rule == rule and err.value.field == "code"


def test_a_session_ends_when_idle_or_too_old():
    assert otp.session_alive(T0, T0, T0 + timedelta(minutes=29))
    assert not otp.session_alive(T0, T0, T0 + otp.SESSION_IDLE)
    assert not otp.session_alive(T0, T0 + otp.SESSION_MAX, T0 + otp.SESSION_MAX)
