"""A small scheduler loop: enqueue periodic work with idempotency keys (ARCHITECTURE §1).

Several schedulers may run: each slot (job, time bucket) is claimed by inserting a row with a
unique key, so only one of them enqueues it. django-tasks-db has no retries and leaves a task
killed mid-run as RUNNING forever; the loop also reaps such stale tasks back to READY.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db import IntegrityError, transaction

from redressal.core.clock import now
from redressal.core.models import ScheduledSlot

log = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 20
STALE_AFTER = timedelta(minutes=10)


def _claim(job: str, every: int) -> bool:
    bucket = int(now().timestamp()) // every
    try:
        with transaction.atomic():
            ScheduledSlot.objects.create(job=job, bucket=bucket)
        return True
    except IntegrityError:
        return False


def reap_stale_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    cutoff = now() - STALE_AFTER
    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).update(status="READY", started_at=None)


def calendar_check() -> int:
    """From November, a next year without confirmed 调休 data alerts the administrators (SPEC §5)."""
    from redressal.core.clock import now as current
    from redressal.notify.services import notify_staff
    from redressal.org.models import Staff
    from redressal.workdays.services import unconfirmed_upcoming_years

    years = unconfirmed_upcoming_years(current().date())
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


def tick() -> list[str]:
    from redressal.cases.tasks import sweep_deadlines

    done = []
    if _claim("sweep_deadlines", SWEEP_EVERY_SECONDS):
        sweep_deadlines.enqueue()
        done.append("sweep_deadlines")
    if _claim("reap_stale", 300):
        reap_stale_tasks()
        done.append("reap_stale")
    if _claim("close_unanswered", 600):
        from redressal.cases.services.decision import close_unanswered

        close_unanswered(now())
        done.append("close_unanswered")
    if _claim("calendar_check", 6 * 3600):
        calendar_check()
        done.append("calendar_check")
    if _claim("prune_slots", 3600):
        ScheduledSlot.objects.filter(created_at__lt=now() - timedelta(days=2)).delete()
    return done


def run_forever(interval: float = 5.0) -> None:
    while True:
        try:
            tick()
        except Exception:
            log.exception("scheduler tick failed")
        time.sleep(interval)
