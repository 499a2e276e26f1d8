from __future__ import annotations

from datetime import date

import pytest
import time_machine

from redressal.notify.models import StaffNotification
from redressal.workdays.jobs import calendar_check
from redressal.workdays.models import CalendarDay, CalendarYear
from redressal.workdays.services import makeup_workdays, sync_year, work_calendar
from tests.conftest import local

pytestmark = pytest.mark.django_db


def test_sync_seeds_holidays_and_makeup_days_and_keeps_closures():
    CalendarDay.objects.create(date=date(2024, 7, 1), kind="closure", name="系统升级停业")
    hol, makeup = sync_year(2024)
    assert makeup == 8 and hol >= 13
    assert makeup_workdays(2024) >= {date(2024, 9, 29), date(2024, 10, 12), date(2024, 2, 4)}
    cal = work_calendar()
    assert cal.is_working_day(date(2024, 9, 29))  # Sunday, 调休
    assert not cal.is_working_day(date(2024, 10, 4))  # National Day holiday on a Friday
    assert not cal.is_working_day(date(2024, 7, 1))  # the bank's own closure survived the sync
    assert CalendarYear.objects.get(year=2024).confirmed


def test_unannounced_year_is_unconfirmed_and_alerts_admins_once(bank):
    sync_year(2027)
    assert not CalendarYear.objects.get(year=2027).confirmed
    with time_machine.travel(local(2026, 11, 23, 9), tick=False):
        assert calendar_check() == 1
        assert calendar_check() == 0
    note = StaffNotification.objects.get(kind="calendar_unconfirmed")
    assert note.recipient.username == "admin" and "2027" in note.message


def test_an_unconfirmed_next_year_alerts_only_from_november(bank):
    sync_year(2027)
    with time_machine.travel(local(2026, 10, 30, 9), tick=False):
        assert calendar_check() == 0
    with time_machine.travel(local(2026, 11, 2, 9), tick=False):
        assert calendar_check() == 1
