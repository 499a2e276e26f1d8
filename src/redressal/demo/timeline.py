"""Replaying a case's history: one moment per step, in order, never in the future.

Every service reads the time from ``redressal.core.clock.now()``; a :class:`Timeline` sets that clock for
each step (``with timeline.at(moment): …``), keeps the steps of one case in chronological order and
stops the story (:class:`Horizon`) when the next step would lie after the seed's "now" — the case then
simply stays open in the state it had reached, as recent cases do in a real bank.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from redressal.core.clock import at_time
from redressal.domain.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
OFFICE_OPEN = time(8, 30)
OFFICE_CLOSE = time(18, 0)


class Horizon(Exception):
    """The next step of the story would happen after the seed's horizon (the present)."""


def local_day(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


class Timeline:
    """The clock of one story. ``squeeze`` pulls late steps back to just before the horizon instead of
    stopping — used for the cases that must end in a given open state whatever today's date is."""

    def __init__(self, rng: random.Random, calendar: WorkCalendar, horizon: datetime, *, squeeze: bool = False) -> None:
        self.rng = rng
        self.calendar = calendar
        self.horizon = horizon
        self.squeeze = squeeze
        self.last: datetime | None = None

    # --- choosing moments -------------------------------------------------------------------------

    def office(self, moment: datetime) -> datetime:
        """``moment`` if it falls in office hours on a working day, else the next opening (plus a little)."""
        local = moment.astimezone(TZ)
        day, clock = local.date(), local.time()
        if self.calendar.is_working_day(day) and OFFICE_OPEN <= clock <= OFFICE_CLOSE:
            return moment
        if not (self.calendar.is_working_day(day) and clock < OFFICE_OPEN):
            day = self.calendar.next_working_day(day, inclusive=False)
        return at_local(day, 8, 30) + timedelta(minutes=self.rng.randint(5, 150))

    def after(self, base: datetime, lo_hours: float, hi_hours: float, *, office: bool = True) -> datetime:
        moment = base + timedelta(hours=self.rng.uniform(lo_hours, hi_hours))
        return self.office(moment) if office else moment

    def before(self, moment: datetime, limit: datetime, margin_hours: float = 2.0) -> datetime | None:
        """``moment`` pulled back before ``limit`` (with a margin) and after the last step; None if impossible."""
        latest = limit - timedelta(hours=margin_hours)
        earliest = (self.last or moment) + timedelta(minutes=10)
        if moment <= latest and moment >= earliest:
            return moment
        if earliest > latest:
            return None
        if moment > latest:
            # Office hours if one fits between the two, else the latest moment (people do work late).
            span = (latest - earliest).total_seconds()
            candidate = earliest + timedelta(seconds=self.rng.uniform(0.5, 1.0) * span)
            office = self.office(candidate)
            return office if earliest <= office <= latest else candidate
        return earliest

    # --- running a step ---------------------------------------------------------------------------

    def next_moment(self, moment: datetime) -> datetime:
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(seconds=self.rng.randint(30, 900))
        if moment > self.horizon:
            if not self.squeeze:
                raise Horizon(moment.isoformat())
            floor = self.last + timedelta(seconds=1) if self.last else self.horizon
            moment = max(floor, self.horizon - timedelta(minutes=self.rng.randint(2, 90)))
        return moment

    @contextmanager
    def at(self, moment: datetime) -> Iterator[datetime]:
        moment = self.next_moment(moment)
        self.last = moment
        with at_time(moment):
            yield moment
