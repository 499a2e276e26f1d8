"""The rules of the regulatory statistics (SPEC §12): reporting periods, the A code of a channel of
receipt, and the figures' formulas. Pure: the ``insight`` app counts, this module says what to count.

Definitions (SPEC §12; 《银行业保险业消费投诉处理管理办法》 Art 38 asks banks to report their complaint
statistics and analysis periodically; the classification is JR/T 0169—2018):

* a period is a calendar quarter (``2026Q3``) or year (``2026``) in the bank's time zone;
* every figure of a period is taken **as of its end**: what the case histories had recorded by then
  (``CaseEvent.recorded_at``), so a closed period reproduces exactly when run again later — a B code
  corrected after the quarter, or an action back-dated into it after it closed, changes the next
  report, never this one;
* the complaints of a period are the primary complaints (投诉件; consultations, suggestions and the
  review cases are not new complaints) received in it and not merged into another case by its end;
* the handling rates (on time, extended, paused) are over the complaints **decided** in the period,
  whenever received: a complaint received on the quarter's last day is judged in the quarter in which
  it is answered;
* the review rate is the reviews (核查) received in the period over the complaints decided in it; the
  overturn rate the reviews decided in the period that changed the original decision (``revised``)
  over all reviews decided in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from redressal.domain.errors import DomainError

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:[Qq](?P<quarter>[1-4]))?$")
# Years the report can be asked for: a typo such as 20263 is a message, not a datetime error.
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class Period:
    """A quarter (``quarter`` 1–4) or a whole year (``quarter`` None)."""

    year: int
    quarter: int | None = None

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def annual(self) -> bool:
        return self.quarter is None

    def first_day(self) -> date:
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    def end_day(self) -> date:
        """The day after the period's last day."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.quarter + 1, 1)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware moments in ``tz`` (the bank's time zone)."""
        return datetime.combine(self.first_day(), time.min, tz), datetime.combine(self.end_day(), time.min, tz)

    def previous(self) -> Period:
        """The period compared with (quarter on quarter; a year with the year before)."""
        if self.quarter is None:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)


def parse_period(text: str) -> Period:
    """``2026Q3`` or ``2026``; anything else is refused naming the field ``period``."""
    found = _PERIOD.match((text or "").strip())
    if found is None:
        raise DomainError(
            "invalid_period", f"'{text}' is not a period: write a quarter as 2026Q3 or a year as 2026", field="period"
        )
    year = int(found["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError("invalid_period", f"the year {year} is outside {FIRST_YEAR}–{LAST_YEAR}", field="period")
    return Period(year, int(found["quarter"]) if found["quarter"] else None)


# The A code (JR/T 0169 provisional table, axis A) of each channel of receipt (``Case.Channel``). The
# hotline is the bank's telephone banking; a letter, media and "other" have no electronic or outlet
# channel and fall to A99. A regulator's transfer names no channel: staff confirm one (triage's
# ``channel`` axis); until then it counts under A99 too.
CHANNEL_A_CODE: dict[str, str] = {
    "counter": "A01",
    "self_service": "A02",
    "online_banking": "A0301",
    "hotline": "A0302",
    "mobile_banking": "A0303",
    "wechat": "A0304",
    "sms": "A0305",
    "email": "A0399",
    "third_party": "A04",
    "letter": "A99",
    "regulator": "A99",
    "other": "A99",
}
OTHER_A = "A99"


def a_code(channel: str, confirmed_channel: str = "") -> str:
    """The A code a complaint is counted under: the channel staff confirmed (an A code, or a channel of
    receipt named the way the case records it), else the channel it was received by."""
    chosen = confirmed_channel or channel
    if chosen.startswith("A") and chosen[1:].isdigit():
        return chosen
    return CHANNEL_A_CODE.get(chosen, OTHER_A)


FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")


def rate(part: int, whole: int) -> Decimal | None:
    """A share as a fraction to four places (``0.8125``); None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def change(current: int, previous: int) -> Decimal | None:
    """Period-on-period change as a fraction (``0.25`` is +25 %); None when the previous period had none."""
    if previous <= 0:
        return None
    return (Decimal(current - previous) / Decimal(previous)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def per_base(count: int, base: int | None, unit: int) -> Decimal | None:
    """Complaints per ``unit`` of a base (per 1,000 outlets, per 10 million individual customers — the
    regulator's intensity ratios); None when the base is not configured."""
    if not base or base <= 0:
        return None
    return (Decimal(count) * Decimal(unit) / Decimal(base)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


PER_OUTLETS = 1_000
PER_CUSTOMERS = 10_000_000
