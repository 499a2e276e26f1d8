"""Background work for django-tasks (enqueued by the scheduler, run by ``db_worker``)."""

from __future__ import annotations

from django_tasks import task

from redressal.cases.services.warnings import sweep_warnings


@task(queue_name="deadlines")
def sweep_deadlines() -> int:
    return sweep_warnings()
