"""A small scheduler loop: enqueue periodic work with idempotency keys (ARCHITECTURE §1).

Several schedulers may run: each slot (job, time bucket) is claimed by inserting a row with a
unique key, so only one of them enqueues it. django-tasks-db has no retries and leaves a task
killed mid-run as RUNNING forever; the loop also reaps such stale tasks back to READY.

The core knows no app's work: each app declares its periodic jobs in its ``jobs`` module (as the admin
finds ``admin`` modules), which :class:`~redressal.core.apps.CoreConfig` imports once the apps are
ready — so the ground floor imports nothing above it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from redressal.core.clock import now
from redressal.core.models import ScheduledSlot

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class PeriodicJob:
    """``name`` is also the idempotency key of its slots: renaming a job lets it run twice in one slot."""

    name: str
    every: int  # seconds: one slot per bucket of this length
    run: Callable[[], object]


JOBS: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> PeriodicJob:
    if job.name in JOBS and JOBS[job.name] != job:
        raise ValueError(f"two periodic jobs named {job.name!r}")
    JOBS[job.name] = job
    return job


def _claim(job: str, every: int) -> bool:
    bucket = int(now().timestamp()) // every
    try:
        with transaction.atomic():
            ScheduledSlot.objects.create(job=job, bucket=bucket)
        return True
    except IntegrityError:
        return False


def reap_stale_tasks() -> int:
    cutoff = now() - STALE_AFTER
    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).update(status="READY", started_at=None)


def prune_slots() -> None:
    ScheduledSlot.objects.filter(created_at__lt=now() - timedelta(days=2)).delete()


register(PeriodicJob("reap_stale", 300, reap_stale_tasks))


def tick() -> list[str]:
    done = []
    for job in JOBS.values():
        if _claim(job.name, job.every):
            job.run()
            done.append(job.name)
    if _claim("prune_slots", 3600):
        prune_slots()
    return done


def run_forever(interval: float = 5.0) -> None:
    while True:
        try:
            tick()
        except Exception:
            log.exception("scheduler tick failed")
        time.sleep(interval)
