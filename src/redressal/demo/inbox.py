"""The demo staff's notification centres as a working bank's would look on the morning of "now".

The stories replay a year of cases and every service notifies as it does in production, but nobody
in the replay opens the notification centre: left alone, a handler would start the demo with hundreds
of unread messages from months ago and the bell would mean nothing. Real staff read their messages as
they come in, so everything older than the last two working days, and everything about a case that has
since been finished, is marked read shortly after it arrived (in office hours). What stays unread is
what a handler would still have in front of them: the latest assignments, replies and warnings.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db.models import Q

from redressal.demo.timeline import Timeline, at_local, local_day
from redressal.domain.calendar import WorkCalendar
from redressal.domain.lifecycle import FINAL_STATES
from redressal.notify.models import StaffNotification

RECENT_WORKING_DAYS = 2
BATCH = 1000


def recent_since(horizon: datetime, calendar: WorkCalendar, days: int = RECENT_WORKING_DAYS) -> datetime:
    """The start of the last ``days`` working days up to ``horizon`` (the horizon's own day counts when
    it is a working day): a Monday morning still shows Friday's messages."""
    day = local_day(horizon)
    found = 0
    while True:
        if calendar.is_working_day(day):
            found += 1
            if found == days:
                return at_local(day, 0, 0)
        day -= timedelta(days=1)


def read_as_staff_would(horizon: datetime, calendar: WorkCalendar, seed: int) -> int:
    """Mark read the notifications staff would have read by ``horizon``; returns how many. The same seed
    and the same replay give the same read times."""
    rng = random.Random(seed)
    clock = Timeline(rng, calendar, horizon)
    finished = [s.value for s in FINAL_STATES]
    old = Q(created_at__lt=recent_since(horizon, calendar)) | Q(case__status__in=finished)
    rows = StaffNotification.objects.filter(old, read_at__isnull=True).order_by("pk").only("pk", "created_at")
    changed: list[StaffNotification] = []
    for note in rows.iterator(chunk_size=BATCH):
        # Read within a few hours of arriving, the next morning if it came after hours; never after now.
        read = clock.office(note.created_at + timedelta(minutes=rng.randint(5, 240)))
        note.read_at = max(note.created_at, min(read, horizon))
        changed.append(note)
    StaffNotification.objects.bulk_update(changed, ["read_at"], batch_size=BATCH)
    return len(changed)
