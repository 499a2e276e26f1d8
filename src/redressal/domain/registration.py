"""Rules on who may bring a complaint and on the facts given with it, checked when it is registered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from redressal.domain.choices import DEMANDS, check_choices
from redressal.domain.dates import check_day
from redressal.domain.errors import DomainError

# 原银保监会令2020年第3号 Art 12: a complaint made jointly and in person names its representatives,
# no more than five of them.
MAX_REPRESENTATIVES = 5
# No complaint a bank handles today was received by a regulator before 1990 (the banking regulators'
# complaint channels, 12363 and 12378, are far younger): an earlier date is a typing error.
REGULATOR_RECORDS_FROM = date(1990, 1, 1)


def check_representatives(names: Sequence[str]) -> None:
    if len(names) > MAX_REPRESENTATIVES:
        raise DomainError(
            "too_many_representatives",
            f"at most {MAX_REPRESENTATIVES} representatives (Art 12)",
            field="representatives",
        )


def check_demand(demand: Sequence[str]) -> None:
    check_choices(demand, DEMANDS, "demand")


def check_birth_date(birth: date, today: date, field: str = "birth_date") -> None:
    check_day(birth, field)
    if birth > today:
        raise DomainError("birth_date.future", "a birth date cannot be in the future", field=field)


def _check_moment(at: datetime, current: datetime, field: str) -> None:
    if at.tzinfo is None:
        raise DomainError("naive_time", "times must carry a UTC offset", field=field)
    check_day(at.date(), field)
    if at > current:
        raise DomainError("future_time", f"{field} cannot be in the future", field=field)


def check_regulator_times(received: datetime | None, forwarded: datetime | None, current: datetime) -> None:
    """When the regulator received the complaint and when it forwarded it: both past, neither before 1990."""
    for moment, field in ((received, "regulator_received_at"), (forwarded, "forwarded_at")):
        if moment is None:
            continue
        _check_moment(moment, current, field)
        if moment.date() < REGULATOR_RECORDS_FROM:
            raise DomainError(
                f"{field}.too_early",
                f"{field} cannot be before {REGULATOR_RECORDS_FROM.isoformat()}",
                field=field,
            )
