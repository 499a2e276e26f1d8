"""Months as the QA sample and the scorecard count them: calendar months in the bank's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from redressal.domain.errors import DomainError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = _MONTH.match(text.strip())
        if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
            raise DomainError("month.invalid", f"'{text}' is not a month (YYYY-MM)", field="month")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, moment: datetime, tz: ZoneInfo) -> Month:
        local = moment.astimezone(tz)
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), 1 if self.month == 12 else self.month + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)

    def start(self, tz: ZoneInfo) -> datetime:
        """The first moment of the month in the bank's time zone."""
        return datetime.combine(datetime(self.year, self.month, 1).date(), time(0), tzinfo=tz)

    def end(self, tz: ZoneInfo) -> datetime:
        """The first moment after the month: figures are computed "as of" this moment (exclusive)."""
        return self.next().start(tz)
