"""Domain rules that keep input within what can be recorded and shown (Pilot-ready items 1, 10, 12)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from redressal.domain.authority import MAX_MONEY, check_item_count, check_total
from redressal.domain.choices import at_most, check_choices
from redressal.domain.dates import check_day
from redressal.domain.errors import DomainError
from redressal.domain.registration import DEMANDS, check_birth_date, check_demand, check_regulator_times

NOW = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def refused(call, *args) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(*args)
    return info.value


def test_total_fits_18_digits_with_2_decimals():
    assert MAX_MONEY == Decimal("9999999999999999.99")
    check_total(MAX_MONEY)
    err = refused(check_total, Decimal("999999999999999.99") * 50)
    assert (err.rule, err.field) == ("compensation.total_too_large", "items")
    check_item_count(20)
    assert refused(check_item_count, 21).field == "items"


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31), date(3000, 1, 1), date(9999, 12, 31)])
def test_days_outside_the_range_are_refused(day):
    assert refused(check_day, day, "received_from").field == "received_from"


def test_birth_date_not_in_the_future():
    check_birth_date(date(2026, 1, 5), date(2026, 1, 5))
    err = refused(check_birth_date, date(2026, 1, 6), date(2026, 1, 5), "customer.birth_date")
    assert (err.rule, err.field) == ("birth_date.future", "customer.birth_date")


@pytest.mark.parametrize(
    ("received", "forwarded", "field"),
    [
        (datetime(1989, 12, 31, tzinfo=UTC), None, "regulator_received_at"),
        (datetime(2026, 1, 5, 3, tzinfo=UTC), None, "regulator_received_at"),
        (datetime(2025, 1, 5), None, "regulator_received_at"),
        (None, datetime(2026, 1, 5, 2, 1, tzinfo=UTC), "forwarded_at"),
        (None, datetime(1, 1, 1, tzinfo=UTC), "forwarded_at"),
    ],
)
def test_regulator_times_past_and_not_before_1990(received, forwarded, field):
    assert refused(check_regulator_times, received, forwarded, NOW).field == field


def test_regulator_times_in_range_pass():
    check_regulator_times(datetime(1990, 1, 1, tzinfo=UTC), NOW, NOW)


def test_choices_each_once_and_known():
    check_demand(list(DEMANDS))
    assert refused(check_demand, [*DEMANDS, "other"]).rule == "too_many"
    assert refused(check_demand, ["refund", "refund"]).rule == "duplicate"
    assert refused(check_choices, ["x"], ("a", "b"), "f").rule == "invalid_choice"


def test_a_stored_list_is_shown_bounded():
    assert at_most(["refund", "apology"] * 1000, 7) == ["refund", "apology"]
    assert at_most([str(i) for i in range(100)], 7) == [str(i) for i in range(7)]
