from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redressal.domain.calendar import WorkCalendar
from tests.domain.cn_2024 import HOLIDAYS_2024, MAKEUP_WORKDAYS_2024, calendar_2024

CAL = calendar_2024()


def all_days_2024() -> list[date]:
    return [date(2024, 1, 1) + timedelta(days=i) for i in range(366)]


# --- the 2024 calendar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 9, 27), True),  # Friday
        (date(2024, 9, 28), False),  # Saturday
        (date(2024, 9, 29), True),  # Sunday, 调休 make-up working day for National Day
        (date(2024, 10, 1), False),  # National Day
        (date(2024, 10, 7), False),  # Monday, inside the National Day holiday
        (date(2024, 10, 8), True),
        (date(2024, 10, 12), True),  # Saturday, make-up working day
        (date(2024, 2, 9), True),  # 除夕 2024 was a working day (rest only "encouraged")
        (date(2024, 3, 16), False),  # plain Saturday
    ],
)
def test_working_days_2024(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working
    assert CAL.is_rest_day(day) is not working


def test_2024_has_the_announced_number_of_working_days() -> None:
    # 366 days − 104 weekend days − 19 weekday holidays + 8 make-up days = 251.
    assert sum(CAL.is_working_day(d) for d in all_days_2024()) == 251


def test_matches_chinese_calendar_package_for_2024() -> None:
    chinese_calendar = pytest.importorskip("chinese_calendar")
    mismatches = [d for d in all_days_2024() if CAL.is_working_day(d) != chinese_calendar.is_workday(d)]
    assert mismatches == []


def test_holiday_name() -> None:
    assert CAL.holiday_name(date(2024, 10, 3)) == "国庆节"
    assert CAL.holiday_name(date(2024, 10, 8)) is None


def test_empty_calendar_rests_only_at_weekends() -> None:
    cal = WorkCalendar.empty()
    assert [cal.is_working_day(date(2024, 10, d)) for d in range(1, 8)] == [True] * 4 + [False, False, True]


def test_closure_is_a_rest_day_even_on_a_makeup_workday() -> None:
    cal = WorkCalendar(makeup_workdays={date(2024, 9, 29)}, closures={date(2024, 9, 29), date(2024, 9, 30)})
    assert cal.is_rest_day(date(2024, 9, 29))
    assert cal.is_rest_day(date(2024, 9, 30))


def test_a_day_cannot_be_both_holiday_and_makeup_workday() -> None:
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(holidays={date(2024, 10, 1): "国庆节"}, makeup_workdays={date(2024, 10, 1)})


def test_inputs_are_frozen_copies() -> None:
    holidays = {date(2024, 10, 1): "国庆节"}
    cal = WorkCalendar(holidays=holidays)
    holidays[date(2024, 10, 2)] = "国庆节"
    assert cal.is_working_day(date(2024, 10, 2))
    with pytest.raises(TypeError):
        cal.holidays[date(2024, 10, 3)] = "x"  # type: ignore[index]


# --- next_working_day / add_working_days ------------------------------------------------------------


def test_next_working_day() -> None:
    assert CAL.next_working_day(date(2024, 10, 5), inclusive=True) == date(2024, 10, 8)
    assert CAL.next_working_day(date(2024, 10, 8), inclusive=True) == date(2024, 10, 8)
    assert CAL.next_working_day(date(2024, 10, 8), inclusive=False) == date(2024, 10, 9)
    assert CAL.next_working_day(date(2024, 9, 27), inclusive=False) == date(2024, 9, 29)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 9, 27), 0, date(2024, 9, 27)),
        (date(2024, 9, 27), 1, date(2024, 9, 29)),  # Fri → Sun 调休
        (date(2024, 9, 27), 2, date(2024, 9, 30)),
        (date(2024, 9, 27), 3, date(2024, 10, 8)),  # across National Day
        (date(2024, 9, 28), 1, date(2024, 9, 29)),  # from a rest day: the start day is never counted
        (date(2024, 10, 1), 1, date(2024, 10, 8)),
        (date(2024, 10, 11), 1, date(2024, 10, 12)),  # Fri → Sat 调休
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2024, 1, 1), -1)


def test_add_calendar_days_does_not_count_the_start_day() -> None:
    assert CAL.add_calendar_days(date(2024, 9, 20), 15) == date(2024, 10, 5)
    assert CAL.add_calendar_days(date(2024, 2, 28), 1) == date(2024, 2, 29)


# --- properties over arbitrary calendars ------------------------------------------------------------

DAYS = st.dates(min_value=date(2023, 10, 1), max_value=date(2025, 3, 31))


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    holidays = draw(st.sets(DAYS, max_size=60))
    makeup = draw(st.sets(DAYS, max_size=15)) - holidays
    closures = draw(st.sets(DAYS, max_size=10))
    return WorkCalendar(holidays=dict.fromkeys(holidays, "假日"), makeup_workdays=makeup, closures=closures)


@given(calendars(), DAYS, st.integers(min_value=1, max_value=40))
def test_add_working_days_lands_on_a_working_day(cal: WorkCalendar, start: date, n: int) -> None:
    assert cal.is_working_day(cal.add_working_days(start, n))


@given(calendars(), DAYS, st.integers(min_value=0, max_value=40))
def test_add_working_days_is_strictly_increasing(cal: WorkCalendar, start: date, n: int) -> None:
    assert cal.add_working_days(start, n + 1) > cal.add_working_days(start, n)


@given(calendars(), DAYS, st.integers(min_value=0, max_value=40))
def test_add_working_days_counts_exactly_n_working_days(cal: WorkCalendar, start: date, n: int) -> None:
    end = cal.add_working_days(start, n)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in between) == n


@given(calendars(), DAYS)
def test_next_working_day_properties(cal: WorkCalendar, day: date) -> None:
    inclusive = cal.next_working_day(day, inclusive=True)
    exclusive = cal.next_working_day(day, inclusive=False)
    assert cal.is_working_day(inclusive) and cal.is_working_day(exclusive)
    assert day <= inclusive <= exclusive and day < exclusive
    assert (inclusive == day) is cal.is_working_day(day)
    assert all(cal.is_rest_day(day + timedelta(days=i)) for i in range((inclusive - day).days))


@given(calendars(), DAYS)
def test_working_day_definition(cal: WorkCalendar, day: date) -> None:
    expected = day not in cal.closures and (
        day in cal.makeup_workdays or (day.weekday() < 5 and day not in cal.holidays)
    )
    assert cal.is_working_day(day) is expected


def test_fixture_dates_are_consistent() -> None:
    assert all(d.weekday() >= 5 for d in MAKEUP_WORKDAYS_2024)
    assert not set(HOLIDAYS_2024) & MAKEUP_WORKDAYS_2024


# --- years the calendar holds -----------------------------------------------------------------------


def test_refuses_to_count_a_year_it_has_no_data_for() -> None:
    """A calendar that holds 2024 does not guess 2025 as plain weekdays: it refuses."""
    from redressal.domain.calendar import CalendarYearMissing
    from redressal.domain.deadlines import DeadlineInput, compute_deadlines
    from redressal.domain.profiles import load_profile
    from tests.domain.test_deadlines import at

    cal = WorkCalendar(holidays=HOLIDAYS_2024, makeup_workdays=MAKEUP_WORKDAYS_2024, years={2024})
    assert not cal.is_working_day(date(2024, 10, 1))
    with pytest.raises(CalendarYearMissing) as exc:
        cal.is_working_day(date(2025, 1, 2))
    assert exc.value.rule == "calendar.year_missing" and exc.value.year == 2025
    with pytest.raises(CalendarYearMissing):
        cal.add_working_days(date(2024, 12, 31), 1)
    # A case received late in December has its deadlines in the next year: refused, not guessed.
    late = DeadlineInput(received_at=at(2024, 12, 31), kind_of_case="complaint")
    with pytest.raises(CalendarYearMissing):
        compute_deadlines(load_profile("CN-2020-3"), cal, late, at(2024, 12, 31))


def test_loads_a_missing_year_through_its_loader_once() -> None:
    from redressal.domain.calendar import YearData

    asked: list[int] = []

    def load(year: int) -> YearData:
        asked.append(year)
        return YearData(holidays={date(year, 1, 1): "元旦"}, makeup_workdays={date(year, 1, 4)})

    cal = WorkCalendar(holidays=HOLIDAYS_2024, years={2024}, load_year=load)
    assert cal.is_rest_day(date(2026, 1, 1))
    assert cal.is_working_day(date(2026, 1, 4))  # a Sunday, made a working day by the loaded year
    assert cal.holiday_name(date(2026, 1, 1)) == "元旦"
    assert not cal.is_working_day(date(2024, 10, 1))  # its own year is not asked for
    assert asked == [2026]
