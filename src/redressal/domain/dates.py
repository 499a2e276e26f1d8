"""The days a date given to the system may name: filters, times of receipt, birth dates.

Outside this span nothing real happened for a complaint record, and at its far ends a day cannot
even be turned into a moment: year 1 at midnight in Asia/Shanghai is year 0 in UTC, and the day
after 9999-12-31 does not exist — both were answered with a 500.
"""

from __future__ import annotations

from datetime import date

from redressal.domain.errors import DomainError

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def day_in_range(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


def check_day(day: date, field: str) -> None:
    if not day_in_range(day):
        raise DomainError(
            "date.out_of_range",
            f"{field}: the date must lie between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}",
            field=field,
        )
