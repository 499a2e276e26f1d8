"""The calendar's periodic check, run by ``redressal scheduler`` (found by redressal.core.apps)."""

from __future__ import annotations

from redressal.core.clock import now
from redressal.core.scheduler import PeriodicJob, register
from redressal.notify.services import notify_staff
from redressal.org.models import Staff
from redressal.workdays.services import unconfirmed_upcoming_years


def calendar_check() -> int:
    """From November, a next year without confirmed 调休 data alerts the administrators (SPEC §5)."""
    years = unconfirmed_upcoming_years(now().date())
    admins = list(Staff.objects.filter(role_assignments__role="admin", is_active=True).values_list("pk", flat=True))
    sent = 0
    for year in years:
        sent += notify_staff(
            admins,
            "calendar_unconfirmed",
            f"{year}: holidays and make-up working days are not confirmed; run calendar-sync or edit the calendar",
            key=f"calendar:{year}",
            payload={"year": year},
        )
    return sent


register(PeriodicJob("calendar_check", 6 * 3600, calendar_check))
