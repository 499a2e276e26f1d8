"""The regulatory statistics' pure rules: periods, the A code of a channel, the ratios."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from redressal.cases.models import Case
from redressal.domain.codes import load_codes
from redressal.domain.errors import DomainError
from redressal.domain.reporting import CHANNEL_A_CODE, Period, a_code, change, parse_period, per_base, rate

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "period", "first", "end"),
    [
        ("2026Q3", Period(2026, 3), date(2026, 7, 1), date(2026, 10, 1)),
        (" 2026q4 ", Period(2026, 4), date(2026, 10, 1), date(2027, 1, 1)),
        ("2026", Period(2026), date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_periods_parse_to_their_days(text, period, first, end):
    parsed = parse_period(text)
    assert parsed == period and parsed.first_day() == first and parsed.end_day() == end
    start, stop = parsed.bounds(SH)
    assert start.utcoffset().total_seconds() == 8 * 3600 and stop.date() == end


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "Q3-2026", "26Q3", "", "2026-07", "1999", "20263"])
def test_a_bad_period_names_the_field(text):
    with pytest.raises(DomainError) as exc:
        parse_period(text)
    assert exc.value.field == "period"


def test_previous_period_crosses_years():
    assert Period(2026, 1).previous() == Period(2025, 4)
    assert Period(2026, 3).previous() == Period(2026, 2)
    assert Period(2026).previous() == Period(2025)


def test_every_channel_of_receipt_has_an_a_code_of_the_table():
    table = load_codes()
    assert set(CHANNEL_A_CODE) == set(Case.Channel.values)
    assert all(table.is_valid("A", code) for code in CHANNEL_A_CODE.values())
    assert a_code("hotline") == "A0302"
    assert a_code("regulator", "A0303") == "A0303"  # the channel staff confirmed for a transfer
    assert a_code("regulator", "mobile_banking") == "A0303"
    assert a_code("regulator") == "A99"


def test_ratios():
    assert rate(1, 3) == Decimal("0.3333") and rate(2, 3) == Decimal("0.6667") and rate(1, 0) is None
    assert change(12, 10) == Decimal("0.2000") and change(5, 0) is None
    assert per_base(3, 40, 1000) == Decimal("75.00") and per_base(3, None, 1000) is None
    assert per_base(7, 3_000_000, 10_000_000) == Decimal("23.33")
