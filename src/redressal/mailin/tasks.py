"""The worker's side of the mailbox (enqueued by the scheduler, run by ``db_worker``)."""

from __future__ import annotations

from django_tasks import task

from redressal.mailin.imap import poll_once


@task(queue_name="default")
def poll_mailbox() -> int:
    return poll_once().fetched
