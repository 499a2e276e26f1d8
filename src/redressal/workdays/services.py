"""Calendar maintenance: seed a year from ``holidays``, and build the domain calendar from the table.

A year missing from the table is seeded on demand the first time a date in it is counted
(:func:`load_year`), from the same package data as ``redressal calendar-sync YEAR``; a year the
package does not know is refused (:class:`~redressal.domain.calendar.CalendarYearMissing`), never
counted as plain weekdays.
"""

from __future__ import annotations

import time
from datetime import date

import holidays as holidays_pkg
from django.db import transaction
from django.db.models import QuerySet
from holidays.countries.china import ChinaStaticHolidays

from redressal.core.clock import now
from redressal.domain.calendar import CalendarYearMissing, WorkCalendar, YearData
from redressal.workdays.models import CalendarDay, CalendarYear

CACHE_SECONDS = 30.0
_cache: dict[str, tuple[float, WorkCalendar]] = {}


def sync_year(year: int, region: str = "CN") -> tuple[int, int]:
    """Replace the year's holidays and make-up working days with the ``holidays`` package's data.

    Bank-added closures are kept. Returns (holidays, make-up days). For a year the State Council has
    not announced yet the package gives rule-based holidays without 调休: the year is then stored
    unconfirmed, which raises the admin alert (ARCHITECTURE §7).
    """
    if not 1990 <= year <= 2100:
        raise ValueError(f"year {year} is out of range (1990–2100)")
    cn, workdays = package_year(year)
    with transaction.atomic():
        CalendarDay.objects.filter(region=region, date__year=year).exclude(kind=CalendarDay.Kind.CLOSURE).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(region=region, date=d, kind=CalendarDay.Kind.HOLIDAY, name=str(n)) for d, n in cn.items()]
            + [
                CalendarDay(region=region, date=d, kind=CalendarDay.Kind.MAKEUP_WORKDAY, name="调休上班")
                for d in sorted(workdays)
            ]
        )
        CalendarYear.objects.update_or_create(region=region, year=year, defaults=_year_row(workdays))
    _cache.pop(region, None)
    return len(cn), len(workdays)


def package_year(year: int) -> tuple[dict[date, str], set[date]]:
    """The ``holidays`` package's China data for ``year``: holidays (date → name), make-up working days."""
    cn = holidays_pkg.country_holidays("CN", years=year, language="zh_CN")
    return {d: str(n) for d, n in cn.items()}, makeup_workdays(year)


def _year_row(workdays: set[date]) -> dict[str, object]:
    # Without 调休 data the State Council has not announced the year (or the package predates it):
    # stored unconfirmed, which raises the admin alert (:func:`unconfirmed_upcoming_years`).
    return {"confirmed": len(workdays) > 0, "source": f"holidays {holidays_pkg.__version__}", "synced_at": now()}


def load_year(year: int, region: str = "CN") -> YearData:
    """The year's calendar, seeded from the package first if the table does not have it yet.

    Called while deadlines are being counted, maybe inside a case's write transaction and maybe by
    two processes at once, so it only adds: days already in the table (an administrator's edit, or
    another process's load) are kept, and the year row is created once (unique per region and year).
    A year the package has no holidays for is refused rather than counted as plain weekdays.
    """
    if not CalendarYear.objects.filter(region=region, year=year).exists():
        holidays, workdays = package_year(year) if 1990 <= year <= 2100 else ({}, set())
        if not holidays:
            raise CalendarYearMissing(year)
        with transaction.atomic():
            CalendarDay.objects.bulk_create(
                [CalendarDay(region=region, date=d, kind=CalendarDay.Kind.HOLIDAY, name=n) for d, n in holidays.items()]
                + [
                    CalendarDay(region=region, date=d, kind=CalendarDay.Kind.MAKEUP_WORKDAY, name="调休上班")
                    for d in sorted(workdays)
                ],
                ignore_conflicts=True,
            )
            CalendarYear.objects.get_or_create(region=region, year=year, defaults=_year_row(workdays))
        _cache.pop(region, None)
    return _year_data(CalendarDay.objects.filter(region=region, date__year=year))


def makeup_workdays(year: int) -> set[date]:
    """调休 working days of ``year``: the "substituted from" dates of the package's China data.

    A substituted day off in January may be paid for by a Saturday of the previous December, so the
    next year's entries are read too.
    """
    out: set[date] = set()
    for entry_year in (year, year + 1):
        entries: tuple[tuple[object, ...], ...] = ChinaStaticHolidays.special_public_holidays.get(entry_year, ())
        for entry in entries:
            numbers = [x for x in entry if isinstance(x, int)]
            if len(numbers) == len(entry) and len(numbers) in (4, 5):
                from_year = numbers[4] if len(numbers) == 5 else entry_year
                if from_year == year:
                    out.add(date(from_year, numbers[2], numbers[3]))
    return out


def unconfirmed_upcoming_years(today: date, region: str = "CN") -> list[int]:
    """From November, next year must be confirmed (SPEC §5 calendar alert); and so must any earlier
    year stored unconfirmed (loaded on demand by :func:`load_year` without 调休 data) — deadlines
    are being counted in it."""
    years = {today.year} | ({today.year + 1} if today.month >= 11 else set())
    rows = dict(CalendarYear.objects.filter(region=region).values_list("year", "confirmed"))
    years |= {y for y, confirmed in rows.items() if not confirmed and y <= today.year}
    return sorted(y for y in years if not rows.get(y, False))


def clear_cache() -> None:
    """Forget every cached calendar (tests whose database has just been rolled back)."""
    _cache.clear()


def _year_data(rows: QuerySet[CalendarDay]) -> YearData:
    hol: dict[date, str] = {}
    makeup: set[date] = set()
    closures: set[date] = set()
    for d, kind, name in rows.values_list("date", "kind", "name"):
        if kind == CalendarDay.Kind.HOLIDAY:
            hol[d] = name
        elif kind == CalendarDay.Kind.MAKEUP_WORKDAY:
            makeup.add(d)
        else:
            closures.add(d)
    return YearData(holidays=hol, makeup_workdays=frozenset(makeup), closures=frozenset(closures))


def work_calendar(region: str = "CN") -> WorkCalendar:
    """The calendar as the domain sees it, cached per process for ``CACHE_SECONDS``.

    It covers the years of the table's year rows; a day of another year seeds that year on demand
    (:func:`load_year`).

    An administrator's edit reaches every process within that time; ``sync_year`` in this process
    drops the cache at once.
    """
    cached = _cache.get(region)
    moment = time.monotonic()
    if cached and moment - cached[0] < CACHE_SECONDS:
        return cached[1]
    data = _year_data(CalendarDay.objects.filter(region=region))
    years = CalendarYear.objects.filter(region=region).values_list("year", flat=True)
    cal = WorkCalendar(
        holidays=data.holidays,
        makeup_workdays=data.makeup_workdays,
        closures=data.closures,
        years=frozenset(years),
        load_year=lambda year: load_year(year, region),
    )
    _cache[region] = (moment, cal)
    return cal
