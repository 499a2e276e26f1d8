"""China's 2024 public holidays and 调休 make-up working days, as announced.

Source: 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号). Each holiday lists the whole
announced run of days off, weekends inside it included.
"""

from __future__ import annotations

from datetime import date, timedelta

from redressal.domain.calendar import WorkCalendar


def _days(first: date, last: date, name: str) -> dict[date, str]:
    return {first + timedelta(days=i): name for i in range((last - first).days + 1)}


HOLIDAYS_2024: dict[date, str] = {
    date(2024, 1, 1): "元旦",
    **_days(date(2024, 2, 10), date(2024, 2, 17), "春节"),
    **_days(date(2024, 4, 4), date(2024, 4, 6), "清明节"),
    **_days(date(2024, 5, 1), date(2024, 5, 5), "劳动节"),
    date(2024, 6, 10): "端午节",
    **_days(date(2024, 9, 15), date(2024, 9, 17), "中秋节"),
    **_days(date(2024, 10, 1), date(2024, 10, 7), "国庆节"),
}

MAKEUP_WORKDAYS_2024: frozenset[date] = frozenset(
    {
        date(2024, 2, 4),  # Sunday, for 春节
        date(2024, 2, 18),  # Sunday, for 春节
        date(2024, 4, 7),  # Sunday, for 清明节
        date(2024, 4, 28),  # Sunday, for 劳动节
        date(2024, 5, 11),  # Saturday, for 劳动节
        date(2024, 9, 14),  # Saturday, for 中秋节
        date(2024, 9, 29),  # Sunday, for 国庆节
        date(2024, 10, 12),  # Saturday, for 国庆节
    }
)


def calendar_2024() -> WorkCalendar:
    return WorkCalendar(holidays=HOLIDAYS_2024, makeup_workdays=MAKEUP_WORKDAYS_2024)
