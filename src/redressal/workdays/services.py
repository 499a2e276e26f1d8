"""Calendar maintenance: seed a year from ``holidays``, and build the domain calendar from the table."""

from __future__ import annotations

import time
from datetime import date

import holidays as holidays_pkg
from django.db import transaction

from redressal.core.clock import now
from redressal.domain.calendar import WorkCalendar
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
    cn = holidays_pkg.country_holidays("CN", years=year, language="zh_CN")
    workdays = makeup_workdays(year)
    with transaction.atomic():
        CalendarDay.objects.filter(region=region, date__year=year).exclude(kind=CalendarDay.Kind.CLOSURE).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(region=region, date=d, kind=CalendarDay.Kind.HOLIDAY, name=str(n)) for d, n in cn.items()]
            + [
                CalendarDay(region=region, date=d, kind=CalendarDay.Kind.MAKEUP_WORKDAY, name="调休上班")
                for d in sorted(workdays)
            ]
        )
        CalendarYear.objects.update_or_create(
            region=region,
            year=year,
            defaults={
                "confirmed": len(workdays) > 0,
                "source": f"holidays {holidays_pkg.__version__}",
                "synced_at": now(),
            },
        )
    _cache.pop(region, None)
    return len(cn), len(workdays)


def makeup_workdays(year: int) -> set[date]:
    """调休 working days of ``year``: the "substituted from" dates of the package's China data.

    A substituted day off in January may be paid for by a Saturday of the previous December, so the
    next year's entries are read too.
    """
    from holidays.countries.china import ChinaStaticHolidays

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
    """From November, next year must be confirmed (SPEC §5 calendar alert)."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    confirmed = set(CalendarYear.objects.filter(region=region, confirmed=True).values_list("year", flat=True))
    return [y for y in years if y not in confirmed]


def work_calendar(region: str = "CN") -> WorkCalendar:
    """The calendar as the domain sees it, cached per process for ``CACHE_SECONDS``.

    An administrator's edit reaches every process within that time; ``sync_year`` in this process
    drops the cache at once.
    """
    cached = _cache.get(region)
    moment = time.monotonic()
    if cached and moment - cached[0] < CACHE_SECONDS:
        return cached[1]
    hol: dict[date, str] = {}
    makeup: set[date] = set()
    closures: set[date] = set()
    for d, kind, name in CalendarDay.objects.filter(region=region).values_list("date", "kind", "name"):
        if kind == CalendarDay.Kind.HOLIDAY:
            hol[d] = name
        elif kind == CalendarDay.Kind.MAKEUP_WORKDAY:
            makeup.add(d)
        else:
            closures.add(d)
    cal = WorkCalendar(holidays=hol, makeup_workdays=frozenset(makeup), closures=frozenset(closures))
    _cache[region] = (moment, cal)
    return cal
