"""The worker's side of the outbox (enqueued by the scheduler, run by ``db_worker``)."""

from __future__ import annotations

from django_tasks import task

from redressal.notify.delivery import drain
from redressal.outbox.contacts import contacts_for


@task(queue_name="outbox")
def deliver_customer_messages() -> int:
    return drain(contacts_for).sent
