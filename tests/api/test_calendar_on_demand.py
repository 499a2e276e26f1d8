"""A year missing from the calendar table is loaded from ``holidays`` on demand, never counted as
plain weekdays (SPEC §5 calendar)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from redressal.domain.calendar import CalendarYearMissing
from redressal.notify.models import StaffNotification
from redressal.workdays.jobs import calendar_check
from redressal.workdays.models import CalendarDay, CalendarYear
from redressal.workdays.services import clear_cache, load_year, work_calendar
from tests.api.test_worked_examples import deadline, new_case
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_install(bank):
    """The bank, on a database whose calendar table is empty (nobody ran calendar-sync)."""
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    clear_cache()


def test_first_contact_over_may_day_on_a_fresh_install(fresh_install, api_as):
    with time_machine.travel(local(2024, 4, 30, 9, 30), tick=False):
        case = new_case(api_as("agent1"), "2024-04-30T09:00:00+08:00")
    # 05-01…05-05 is the May Day holiday: the first working day after 04-30 is Monday 05-06.
    assert deadline(case, "first_contact")["due_at"] == "2024-05-07T00:00:00+08:00"
    year = CalendarYear.objects.get(year=2024)
    assert year.confirmed and year.source.startswith("holidays")
    assert CalendarDay.objects.filter(date=date(2024, 4, 28), kind="makeup_workday").exists()


def test_a_year_loaded_without_makeup_days_is_unconfirmed_and_alerts(fresh_install):
    # Far enough ahead that the package has only rule-based holidays, no State Council 调休.
    assert not work_calendar().is_working_day(date(2099, 10, 1))  # National Day
    assert not CalendarYear.objects.get(year=2099).confirmed
    with time_machine.travel(local(2099, 3, 2, 9), tick=False):
        assert calendar_check() >= 1
    assert StaffNotification.objects.filter(kind="calendar_unconfirmed", payload__year=2099).exists()


def test_loading_keeps_the_administrators_days_and_runs_once(fresh_install):
    CalendarDay.objects.create(date=date(2024, 7, 1), kind="closure", name="系统升级停业")
    CalendarDay.objects.create(date=date(2024, 5, 1), kind="closure", name="停业")
    load_year(2024)
    load_year(2024)  # idempotent: a second process (or call) adds nothing
    assert CalendarYear.objects.filter(year=2024).count() == 1
    assert CalendarDay.objects.get(date=date(2024, 5, 1)).kind == "closure"
    cal = work_calendar()
    assert not cal.is_working_day(date(2024, 7, 1))
    assert cal.is_working_day(date(2024, 4, 28))  # 调休 Sunday


def test_a_year_the_package_cannot_give_is_refused(fresh_install):
    with pytest.raises(CalendarYearMissing) as exc:
        work_calendar().is_working_day(date(1989, 10, 2))
    assert exc.value.rule == "calendar.year_missing" and exc.value.year == 1989
    assert not CalendarYear.objects.filter(year=1989).exists()
