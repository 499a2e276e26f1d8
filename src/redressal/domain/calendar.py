"""The working-day calendar: which days a bank counts as working days.

China moves rest days around every year: the State Council announces the public holidays and the
调休 arrangement, in which some Saturdays or Sundays become working days (make-up working days) to
give longer holidays. Neither weekday arithmetic nor a holiday list alone gets this right, so the
calendar carries both lists, plus the bank's own closures (e.g. a typhoon day), which count like
holidays.

Two kinds of period use this calendar:

* working-day SLAs of the bank's own policy (first contact: "1 working day");
* the end of a statutory calendar-day period (《民法典》第二百零三条): when the last day of a period
  is a 法定休假日, the period ends on the day after the holiday ends — that is, on the next working
  day. Make-up working days are working days for this purpose.

The data comes from the editable table in ``redressal.workdays``; this module never looks it up.
A calendar built from that table knows which ``years`` it holds: a day of any other year is either
fetched through ``load_year`` (the table's owner seeds the year on demand) or refused with
:class:`CalendarYearMissing`. It is never counted as plain weekdays — that silently drops the year's
holidays and 调休 and moves every deadline over them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from redressal.domain.errors import DomainError

SATURDAY = 5  # date.weekday(): Monday is 0


class CalendarYearMissing(DomainError):
    """The calendar has no data for ``year``: holidays and make-up working days are unknown."""

    def __init__(self, year: int) -> None:
        super().__init__(
            "calendar.year_missing",
            f"the working-day calendar has no holidays or make-up working days for {year}; "
            f"an administrator must load or enter the year before dates in it can be counted",
        )
        self.year = year


@dataclass(frozen=True)
class YearData:
    """One year of a calendar: its holidays (date → name), make-up working days and closures."""

    holidays: Mapping[date, str] = field(default_factory=dict)
    makeup_workdays: Collection[date] = frozenset()
    closures: Collection[date] = frozenset()


YearLoader = Callable[[int], YearData]


@dataclass(frozen=True, eq=False)
class WorkCalendar:
    """Rest days are weekends, announced holidays and bank closures; 调休 days are working days.

    ``holidays`` maps a date to its name (e.g. "国庆节"). ``makeup_workdays`` are the 调休 Saturdays
    and Sundays on which people work. ``closures`` are extra days the bank is closed.

    A closure wins over a make-up working day: if the bank shuts on a 调休 Saturday, nobody works
    there that day. A date that is both an announced holiday and a make-up working day is a data
    error and is refused.

    ``years``: the years the three lists cover; ``None`` means every year (a calendar written out in
    full, as in tests). A day of a year not covered is looked up through ``load_year`` — once, then
    kept — or, with no loader, refused with :class:`CalendarYearMissing`.
    """

    holidays: Mapping[date, str] = field(default_factory=dict)
    makeup_workdays: Collection[date] = frozenset()
    closures: Collection[date] = frozenset()
    years: Collection[int] | None = None
    load_year: YearLoader | None = None
    # Years fetched through ``load_year``: filled on first use, never changed afterwards.
    _loaded: dict[int, YearData] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        # Freeze the inputs so that a cached calendar cannot be changed behind the caches' back.
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))
        object.__setattr__(self, "closures", frozenset(self.closures))
        if self.years is not None:
            object.__setattr__(self, "years", frozenset(self.years))
        both = sorted(set(self.holidays) & set(self.makeup_workdays))
        if both:
            raise ValueError(
                f"a day cannot be both a holiday and a make-up working day: {both[0].isoformat()}"
            )

    @classmethod
    def empty(cls) -> WorkCalendar:
        """A calendar in which only Saturdays and Sundays are rest days."""
        return cls()

    def _year_of(self, d: date) -> YearData:
        """The lists that hold ``d``: this calendar's own, or its year's as loaded on demand."""
        if self.years is None or d.year in self.years:
            return YearData(self.holidays, self.makeup_workdays, self.closures)
        loaded = self._loaded
        data = loaded.get(d.year)
        if data is None:
            if self.load_year is None:
                raise CalendarYearMissing(d.year)
            data = self.load_year(d.year)
            loaded[d.year] = YearData(
                MappingProxyType(dict(data.holidays)), frozenset(data.makeup_workdays), frozenset(data.closures)
            )
            data = loaded[d.year]
        return data

    def is_working_day(self, d: date) -> bool:
        year = self._year_of(d)
        if d in year.closures:
            return False
        if d in year.makeup_workdays:
            return True
        return d.weekday() < SATURDAY and d not in year.holidays

    def is_rest_day(self, d: date) -> bool:
        return not self.is_working_day(d)

    def holiday_name(self, d: date) -> str | None:
        return self._year_of(d).holidays.get(d)

    def next_working_day(self, d: date, *, inclusive: bool) -> date:
        """The first working day on or after ``d`` (``inclusive``), or strictly after it."""
        day = d if inclusive else d + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, d: date, n: int) -> date:
        """The day on which "``n`` working days after ``d``" ends.

        As with any period counted in days (《民法典》第二百零一条), the start day itself is not
        counted, whether or not it is a working day: the first working day after ``d`` is day 1.
        ``n == 0`` returns ``d`` unchanged.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        day = d
        for _ in range(n):
            day = self.next_working_day(day, inclusive=False)
        return day

    @staticmethod
    def add_calendar_days(d: date, n: int) -> date:
        """The last day of an ``n``-day period starting after ``d`` (start day not counted, Art 201)."""
        return d + timedelta(days=n)
