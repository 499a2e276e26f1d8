"""Late recording (补录): more than one working day after ``at`` needs a reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redressal.domain.backdating import check_backdate, is_backdated, recording_deadline
from redressal.domain.errors import DomainError
from tests.domain.cn_2024 import calendar_2024

TZ = ZoneInfo("Asia/Shanghai")
CAL = calendar_2024()


def t(m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(2024, m, d, hh, mm, tzinfo=TZ)


@pytest.mark.parametrize(
    ("at", "last_without_reason"),
    [
        (t(3, 5, 10), t(3, 6, 10)),  # Tuesday → Wednesday, same hour
        (t(3, 8, 17), t(3, 11, 17)),  # Friday → Monday
        (t(3, 9, 11), t(3, 11, 11)),  # Saturday → Monday
        (t(9, 27, 17), t(9, 29, 17)),  # Friday → Sunday 09-29, a 调休 working day
        (t(9, 30, 17), t(10, 8, 17)),  # before National Day → the first day back
        (t(4, 30, 9), t(5, 6, 9)),  # before May Day → Monday 05-06
    ],
)
def test_recording_deadline(at: datetime, last_without_reason: datetime) -> None:
    assert recording_deadline(CAL, TZ, at) == last_without_reason
    assert not is_backdated(CAL, TZ, at, last_without_reason)
    assert is_backdated(CAL, TZ, at, last_without_reason + timedelta(minutes=1))


def test_a_backdated_action_needs_a_reason() -> None:
    with pytest.raises(DomainError) as exc:
        check_backdate(CAL, TZ, t(3, 5), t(3, 7), "  ")
    assert exc.value.rule == "backdate.reason_required" and exc.value.field == "backdate_reason"
    assert check_backdate(CAL, TZ, t(3, 5), t(3, 7), "纸质单据补录") is True
    assert check_backdate(CAL, TZ, t(3, 5), t(3, 6), "") is False


MOMENTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2024, 11, 30)).map(
    lambda d: d.replace(tzinfo=TZ)
)
DELAYS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30))


@given(MOMENTS, DELAYS)
def test_within_a_calendar_day_is_never_backdated(at: datetime, delay: timedelta) -> None:
    # One working day is never shorter than one calendar day.
    assert not is_backdated(CAL, TZ, at, at + min(delay, timedelta(days=1)))


@given(MOMENTS, DELAYS, DELAYS)
def test_later_recording_is_never_less_backdated(at: datetime, first: timedelta, more: timedelta) -> None:
    if is_backdated(CAL, TZ, at, at + first):
        assert is_backdated(CAL, TZ, at, at + first + more)


@given(MOMENTS)
def test_two_working_days_later_is_always_backdated(at: datetime) -> None:
    two = CAL.add_working_days(at.date(), 2)
    assert is_backdated(CAL, TZ, at, datetime.combine(two, at.timetz()))
